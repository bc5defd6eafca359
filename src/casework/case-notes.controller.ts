import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiCreatedResponse({ type: NoteDto })
  write(
    @CurrentActor() actor: StaffActor,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateNoteDto,
  ): Promise<NoteDto> {
    return this.notes.write(actor, id, body);
  }

  @Get()
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
