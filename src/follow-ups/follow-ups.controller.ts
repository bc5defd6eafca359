import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import {
  CompleteFollowUpDto,
  FollowUpDetailDto,
  FollowUpDto,
  FollowUpQueryDto,
} from './dto/follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('follow-ups')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get()
  @ApiOperation({
    summary: 'List follow-ups after egress, by status, house or stay',
    description: 'A coordinator sees only her own house.',
  })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: houseId names a house the caller may not see' })
  @ApiOkResponse({ type: [FollowUpDto], description: 'A coordinator sees only its own house' })
  list(@CurrentActor() actor: Actor, @Query() query: FollowUpQueryDto): Promise<FollowUpDto[]> {
    return this.followUps.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One follow-up, with its notes and the situation recorded' })
  @ApiErrors(400, STAFF_ERRORS, 404)
  @ApiOkResponse({ type: FollowUpDetailDto })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<FollowUpDetailDto> {
    return this.followUps.get(actor, id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('admin', 'admission_officer', 'house_coordinator', 'team_member')
  @ApiOperation({ summary: 'Record a follow-up as done, with its outcome' })
  @ApiErrors(400, STAFF_ERRORS, 404, {
    409: 'INVALID_STATE: the follow-up is already completed or cancelled',
  })
  @ApiOkResponse({ type: FollowUpDetailDto })
  complete(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CompleteFollowUpDto,
  ): Promise<FollowUpDetailDto> {
    return this.followUps.complete(actor, id, body.outcome, body.notes, body.situation);
  }
}
