import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import {
  CreateStayDto,
  EgressDto,
  ExtendStayDto,
  PlacementOptionDto,
  StayDto,
  StaysQueryDto,
  TransferStayDto,
} from './dto/stay.dto';
import { AdmissionService } from './admission.service';
import { EgressService } from './egress.service';
import { StayService } from './stay.service';

// Ids in the documented examples: a client puts its own referral's and house's there.
const EXAMPLE_REFERRAL_ID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const EXAMPLE_HOUSE_ID = '0b9e8d7c-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

@ApiTags('stays')
@ApiBearerAuth()
@Controller()
export class StaysController {
  constructor(
    private readonly admission: AdmissionService,
    private readonly stays: StayService,
    private readonly egressService: EgressService,
  ) {}

  @Get('referrals/:id/placement-options')
  @ApiOperation({
    summary: 'Houses that can take the whole family now, best first (admission officer, admin)',
  })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such referral' })
  @Roles('admission_officer', 'admin')
  @ApiOkResponse({
    type: [PlacementOptionDto],
    description: 'Houses able to take the family, best first',
  })
  placementOptions(@Param('id', ParseUuidPipe) id: string): Promise<PlacementOptionDto[]> {
    return this.admission.placementOptions(id);
  }

  @Post('stays')
  @ApiBody({
    type: CreateStayDto,
    examples: {
      'the service chooses the house and beds': {
        value: { referralId: EXAMPLE_REFERRAL_ID, admittedAt: '2026-11-21T03:10:00-05:00' },
      },
      'in a named house': { value: { referralId: EXAMPLE_REFERRAL_ID, houseId: EXAMPLE_HOUSE_ID } },
    },
  })
  @ApiOperation({
    summary: 'Admit a referred family: one bed each, all in one house (admission officer, admin)',
    description:
      'Without `houseId` the service chooses the house; `bedIds` (one per person, the ' +
      'woman’s first) picks the beds. `admittedAt` defaults to now and may be back-dated, ' +
      'never into the future nor before the protection order’s `issuedAt` day (400).',
  })
  @ApiErrors(400, STAFF_ERRORS, {
    404: 'NOT_FOUND: no such referral',
    409:
      'NO_CAPACITY: no house (or not the named one) can take the whole family; ' +
      'BED_OCCUPIED: a bed of bedIds is taken; ALREADY_ADMITTED: the referral is admitted ' +
      'or exited; INVALID_STATE: it was rejected or withdrawn',
  })
  @Roles('admission_officer', 'admin')
  @ApiCreatedResponse({ type: StayDto })
  admit(@CurrentActor() actor: StaffActor, @Body() body: CreateStayDto): Promise<StayDto> {
    return this.admission.admit(actor, body);
  }

  @Get('stays')
  @ApiOperation({ summary: 'List stays by house and status (coordinators: their own house)' })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: houseId names a house the caller may not see' })
  @ApiOkResponse({ type: [StayDto], description: 'Coordinators see only their house' })
  list(@CurrentActor() actor: Actor, @Query() query: StaysQueryDto): Promise<StayDto[]> {
    return this.stays.list(actor, query);
  }

  @Get('stays/:id')
  @ApiOperation({ summary: 'One stay, with its family, beds and extensions' })
  @ApiErrors(400, STAFF_ERRORS, 404)
  @ApiOkResponse({ type: StayDto })
  find(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<StayDto> {
    return this.stays.find(actor, id);
  }

  @Post('stays/:id/extensions')
  @ApiOperation({
    summary: 'Extend a stay’s term up to its maximum (the house’s coordinator, admin)',
    description:
      '`until` is a date in TZ_SERVICE; the new `termEndsAt` is that date at the ' +
      'admission’s time of day, capped at `maxEndsAt`.',
  })
  @ApiErrors(400, STAFF_ERRORS, 404, {
    409: 'STAY_LIMIT_EXCEEDED: until is after the date of maxEndsAt; INVALID_STATE: the stay has ended',
  })
  @HttpCode(200)
  @Roles('house_coordinator', 'admin')
  @ApiOkResponse({ type: StayDto })
  extend(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ExtendStayDto,
  ): Promise<StayDto> {
    return this.stays.extend(actor, id, body);
  }

  @Post('stays/:id/transfer')
  @ApiOperation({
    summary: 'Move the whole family to another house (admission officer, admin)',
    description: 'The stay’s clock does not restart.',
  })
  @ApiErrors(400, STAFF_ERRORS, 404, {
    409: 'NO_CAPACITY: the house cannot take the whole family; INVALID_STATE: the stay has ended',
  })
  @HttpCode(200)
  @Roles('admission_officer', 'admin')
  @ApiOkResponse({ type: StayDto })
  transfer(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: TransferStayDto,
  ): Promise<StayDto> {
    return this.stays.transfer(actor, id, body);
  }

  @Post('stays/:id/egress')
  @ApiOperation({
    summary: 'Record the egress of a stay; its beds are free at once',
    description:
      '`exitedAt` defaults to now and may be any past instant not before the admission or ' +
      'the last transfer. Follow-ups are scheduled after it (FOLLOW_UP_SCHEDULE).',
  })
  @ApiErrors(400, STAFF_ERRORS, 404, { 409: 'INVALID_STATE: the stay has already ended' })
  @HttpCode(200)
  @Roles('admission_officer', 'house_coordinator', 'admin')
  @ApiOkResponse({ type: StayDto })
  egress(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: EgressDto,
  ): Promise<StayDto> {
    return this.egressService.egress(actor, id, body);
  }
}
