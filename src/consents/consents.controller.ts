import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { ConsentsService } from './consents.service';
import { CONSENT_ROLES } from './consents.types';
import { ConsentRecordedDto, ConsentsDto, RecordConsentDto } from './dto/consent.dto';

const NOT_FOUND = { 404: 'NOT_FOUND: no such stay, or not one the caller may see' };

@ApiTags('consents')
@ApiBearerAuth()
@Roles(...CONSENT_ROLES)
@Controller('stays/:id/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @ApiOperation({
    summary: "The woman's consents for this stay: the current state per purpose and the history",
    description:
      'Officers and admins: every stay; coordinators and team members: the stays of their house (active, and exited from it). A grant past its expiresOn is not granted.',
  })
  @ApiErrors(400, STAFF_ERRORS, NOT_FOUND)
  @ApiOkResponse({ type: ConsentsDto })
  list(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<ConsentsDto> {
    return this.consents.list(actor, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Record a consent: grant (optionally until a date) or withdraw one purpose',
    description:
      'Appends to the history (the latest record of a purpose is its state). Allowed on active and exited stays. Egress schedules follow-ups only while follow_up_contact holds; withdrawing it cancels the pending follow-ups (consent_withdrawn), and a grant with expiresOn cancels those due after that day (consent_expired). A grant recorded after egress schedules nothing.',
  })
  @ApiErrors(400, STAFF_ERRORS, NOT_FOUND)
  @ApiCreatedResponse({ type: ConsentRecordedDto })
  record(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: RecordConsentDto,
  ): Promise<ConsentRecordedDto> {
    return this.consents.record(actor, id, body);
  }
}
