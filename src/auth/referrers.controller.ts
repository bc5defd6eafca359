import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { Actor } from '../common/actor';
import { CurrentActor, Roles } from './auth.decorators';
import { CreatedReferrerDto, CreateReferrerDto, ReferrerDto } from './dto/create-referrer.dto';
import { ReferrersService } from './referrers.service';

@ApiTags('referrers')
@ApiBearerAuth()
@Roles('admin')
@Controller('referrers')
export class ReferrersController {
  constructor(private readonly referrers: ReferrersService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a comisaría or court and issue its API key (admin)',
    description: 'The key is answered once and stored only as a hash: keep it now.',
  })
  @ApiErrors(400, STAFF_ERRORS)
  @ApiCreatedResponse({ type: CreatedReferrerDto, description: 'The API key is shown only here' })
  create(
    @CurrentActor() actor: Extract<Actor, { kind: 'staff' }>,
    @Body() body: CreateReferrerDto,
  ): Promise<CreatedReferrerDto> {
    return this.referrers.create(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'List referrers (admin); never a key' })
  @ApiErrors(STAFF_ERRORS)
  @ApiOkResponse({ type: [ReferrerDto] })
  list(): Promise<ReferrerDto[]> {
    return this.referrers.list();
  }

  @Post(':id/revoke')
  @ApiOperation({
    summary: 'Revoke a referrer’s API key (admin)',
    description: 'From then on the key answers 401. Revoking twice answers the same.',
  })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such referrer' })
  @HttpCode(200)
  @ApiOkResponse({ type: ReferrerDto })
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReferrerDto> {
    return this.referrers.revoke(actor, id);
  }
}
