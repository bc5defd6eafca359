import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: [FollowUpDto], description: 'A coordinator sees only its own house' })
  list(@CurrentActor() actor: Actor, @Query() query: FollowUpQueryDto): Promise<FollowUpDto[]> {
    return this.followUps.list(actor, query);
  }

  @Get(':id')
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
  @ApiOkResponse({ type: FollowUpDetailDto })
  complete(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CompleteFollowUpDto,
  ): Promise<FollowUpDetailDto> {
    return this.followUps.complete(actor, id, body.outcome, body.notes, body.situation);
  }
}
