import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
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
import {
  CreatedReferrerDto,
  CreateReferrerDto,
  ReferrerDto,
  UpdatedReferrerDto,
  UpdateReferrerDto,
} from './dto/create-referrer.dto';
import { CALLBACKS_DESCRIPTION } from '../callbacks/callbacks.description';
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
    description:
      'The key is answered once and stored only as a hash: keep it now. With `callbackUrl`, ' +
      'the answer also carries the `webhookSecret` that signs its status callbacks, once.\n\n' +
      CALLBACKS_DESCRIPTION,
  })
  @ApiErrors(400, STAFF_ERRORS)
  @ApiCreatedResponse({
    type: CreatedReferrerDto,
    description: 'The API key (and webhook secret) are shown only here',
  })
  create(
    @CurrentActor() actor: Extract<Actor, { kind: 'staff' }>,
    @Body() body: CreateReferrerDto,
  ): Promise<CreatedReferrerDto> {
    return this.referrers.create(actor, body);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename a referrer or set, change or remove its status callback (admin)',
    description:
      'Setting `callbackUrl` answers a new `webhookSecret`, once (the old one stops signing). ' +
      '`callbackUrl: null` removes the callback.\n\n' +
      CALLBACKS_DESCRIPTION,
  })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such referrer' })
  @ApiOkResponse({ type: UpdatedReferrerDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateReferrerDto,
  ): Promise<UpdatedReferrerDto> {
    return this.referrers.update(actor, id, body);
  }

  @Get()
  @ApiOperation({ summary: 'List referrers (admin); never a key or secret' })
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
