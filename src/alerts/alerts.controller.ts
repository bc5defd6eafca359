import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { AlertsService } from './alerts.service';
import { AlertDto, AlertsQueryDto } from './dto/alert.dto';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOkResponse({ type: [AlertDto], description: 'Newest first; a house-bound user sees hers' })
  list(@CurrentActor() actor: Actor, @Query() query: AlertsQueryDto): Promise<AlertDto[]> {
    return this.alerts.list(actor, query);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertDto })
  acknowledge(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<AlertDto> {
    return this.alerts.acknowledge(actor, id);
  }
}
