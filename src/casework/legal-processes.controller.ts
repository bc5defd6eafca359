import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, STAFF_ERRORS } from '../common/api-errors';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor, StaffActor } from '../common/actor';
import { ParseUuidPipe } from '../common/parse-uuid.pipe';
import { CASEWORK_WRITERS } from './casework.roles';
import {
  CreateLegalProcessDto,
  LegalProcessDto,
  UpdateLegalProcessDto,
} from './dto/legal-process.dto';
import { LegalProcessesService } from './legal-processes.service';

@ApiTags('casework')
@ApiBearerAuth()
@Controller()
export class LegalProcessesController {
  constructor(private readonly processes: LegalProcessesService) {}

  @Post('stays/:id/legal-processes')
  @ApiOperation({ summary: 'Open a legal process for a stay (legal discipline)' })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such stay, or not one the caller may see' })
  @Roles(...CASEWORK_WRITERS)
  @ApiCreatedResponse({
    type: LegalProcessDto,
    description: 'Team members of legal, coordinators, admins',
  })
  create(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateLegalProcessDto,
  ): Promise<LegalProcessDto> {
    return this.processes.create(actor, id, body);
  }

  @Get('stays/:id/legal-processes')
  @ApiOperation({ summary: 'The legal processes of a stay, with their history' })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such stay, or not one the caller may see' })
  @ApiOkResponse({ type: [LegalProcessDto] })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<LegalProcessDto[]> {
    return this.processes.list(actor, id);
  }

  @Patch('legal-processes/:id')
  @ApiOperation({ summary: 'Record a change of a legal process: status, next hearing, note' })
  @ApiErrors(400, STAFF_ERRORS, {
    404: 'NOT_FOUND: no such legal process, or not one the caller may see',
  })
  @Roles(...CASEWORK_WRITERS)
  @ApiOkResponse({ type: LegalProcessDto })
  update(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateLegalProcessDto,
  ): Promise<LegalProcessDto> {
    return this.processes.update(actor, id, body);
  }
}
