import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { CreateHoldDto, HoldDto, HoldsQueryDto } from './dto/hold.dto';
import { HoldsService } from './holds.service';

const EXAMPLE_REFERRAL_ID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const EXAMPLE_HOUSE_ID = '0b9e8d7c-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

@ApiTags('holds')
@ApiBearerAuth()
@Controller('holds')
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Post()
  @ApiBody({
    type: CreateHoldDto,
    examples: {
      'the service chooses, HOLD_MINUTES': { value: { referralId: EXAMPLE_REFERRAL_ID } },
      'a named house for two hours': {
        value: { referralId: EXAMPLE_REFERRAL_ID, houseId: EXAMPLE_HOUSE_ID, minutes: 120 },
      },
    },
  })
  @ApiOperation({
    summary: 'Keep a family’s beds while she travels (admission officer, admin)',
    description:
      'Placement, `NO_CAPACITY` and `BED_OCCUPIED` as `POST /stays`. The beds are held in the ' +
      'bed ledger until `expiresAt` (`minutes`, 5 to 480, default HOLD_MINUTES): nobody else ' +
      'gets them by any request, and at `expiresAt` they are free again with no worker ' +
      'running. `POST /stays` for the referral confirms the hold and gives her those beds ' +
      '(unless its `bedIds` say otherwise). A `hold_expiring` alert reaches the house 15 ' +
      'minutes before the end.',
  })
  @ApiErrors(400, STAFF_ERRORS, {
    404: 'NOT_FOUND: no such referral',
    409:
      'CONFLICT: the referral already has a live hold; NO_CAPACITY: no house (or not the ' +
      'named one) can take the whole family; BED_OCCUPIED: a bed of bedIds is taken or held; ' +
      'ALREADY_ADMITTED, INVALID_STATE: the referral cannot be admitted',
  })
  @Roles('admission_officer', 'admin')
  @ApiCreatedResponse({ type: HoldDto })
  hold(@CurrentActor() actor: StaffActor, @Body() body: CreateHoldDto): Promise<HoldDto> {
    return this.holds.hold(actor, body);
  }

  @Get()
  @ApiOperation({
    summary: 'Transport holds, newest first (coordinators: their own house)',
    description: '`status=held` lists the live holds: those whose `expiresAt` is still ahead.',
  })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: houseId names a house the caller may not see' })
  @ApiOkResponse({ type: [HoldDto] })
  list(@CurrentActor() actor: Actor, @Query() query: HoldsQueryDto): Promise<HoldDto[]> {
    return this.holds.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One transport hold' })
  @ApiErrors(400, STAFF_ERRORS, 404)
  @ApiOkResponse({ type: HoldDto })
  find(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<HoldDto> {
    return this.holds.find(actor, id);
  }

  @Post(':id/cancel')
  @ApiOperation({
    summary: 'Cancel a live hold; its beds are free at once (admission officer, admin)',
  })
  @ApiErrors(400, STAFF_ERRORS, 404, {
    409: 'INVALID_STATE: the hold is already confirmed, cancelled or expired',
  })
  @HttpCode(200)
  @Roles('admission_officer', 'admin')
  @ApiOkResponse({ type: HoldDto })
  cancel(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<HoldDto> {
    return this.holds.cancel(actor, id);
  }
}
