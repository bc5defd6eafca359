import { Body, Controller, Get, Param, Post } from '@nestjs/common';
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
import { CaseNotesService } from './case-notes.service';
import { CASEWORK_WRITERS } from './casework.roles';
import { CreateNoteDto, NoteDto, NoteWithBodyDto } from './dto/case-note.dto';

@ApiTags('casework')
@ApiBearerAuth()
@Controller('stays/:id/notes')
export class CaseNotesController {
  constructor(private readonly notes: CaseNotesService) {}

  @Post()
  @Roles(...CASEWORK_WRITERS)
  @ApiOperation({ summary: 'Write a case note on a stay, or on one person of it' })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such stay, or not one the caller may see' })
  @ApiCreatedResponse({ type: NoteDto })
  write(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateNoteDto,
  ): Promise<NoteDto> {
    return this.notes.write(actor, id, body);
  }

  @Get()
  @ApiOperation({ summary: 'The case notes of a stay the caller may read' })
  @ApiErrors(400, STAFF_ERRORS, { 404: 'NOT_FOUND: no such stay, or not one the caller may see' })
  @ApiOkResponse({
    type: [NoteWithBodyDto],
    description: 'The notes the caller may read, newest first; each read is audited',
  })
  read(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<NoteWithBodyDto[]> {
    return this.notes.read(actor, id);
  }
}
