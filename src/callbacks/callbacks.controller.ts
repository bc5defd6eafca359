import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { CALLBACKS_DESCRIPTION } from './callbacks.description';
import { CallbacksService } from './callbacks.service';
import { DeliveriesQueryDto, DeliveryDto } from './dto/delivery.dto';

@ApiTags('referrers')
@ApiBearerAuth()
@Roles('admin')
@Controller('referrers')
export class CallbacksController {
  constructor(private readonly callbacks: CallbacksService) {}

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'The status callback attempts to a referrer, latest first (admin)',
    description: CALLBACKS_DESCRIPTION,
  })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such referrer' })
  @ApiOkResponse({ type: [DeliveryDto] })
  deliveries(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: DeliveriesQueryDto,
  ): Promise<DeliveryDto[]> {
    return this.callbacks.deliveries(id, query.limit);
  }
}
