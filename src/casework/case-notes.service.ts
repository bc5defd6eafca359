import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { CaseCipher, CaseReader } from '../common/case-cipher';
import { CaseAccess } from './case-access';
import { CaseNotesRepository, NoteRecord } from './case-notes.repository';
import { CaseStaysRepository } from './case-stays.repository';
import { CreateNoteDto, NoteDto, NoteWithBodyDto } from './dto/case-note.dto';

/** More than any family's page shows at once; older notes stay in the record. */
export const NOTES_READ_LIMIT = 1000;

@Injectable()
export class CaseNotesService {
  constructor(
    private readonly notes: CaseNotesRepository,
    private readonly stays: CaseStaysRepository,
    private readonly access: CaseAccess,
    private readonly audit: AuditService,
    private readonly caseCipher: CaseCipher,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async write(actor: StaffActor, stayId: string, input: CreateNoteDto): Promise<NoteDto> {
    // A discipline note belongs to a discipline: coordinators and admins have none.
    if (input.visibility === 'discipline' && actor.role !== 'team_member') {
      throw DomainError.validation(
        'visibility',
        'only a team member writes discipline notes; use visibility team',
      );
    }
    const stay = await this.access.visibleStay(actor, stayId);
    if (
      input.personId !== undefined &&
      !(await this.stays.isPersonOfStay(stayId, input.personId))
    ) {
      throw DomainError.validation('personId', 'personId must be a person of this stay');
    }
    const bodyCipher = (await this.caseCipher.writer(stay.referralId)).encrypt(input.body);
    const note = await this.dataSource.transaction(async (manager) => {
      const inserted = await this.notes.insert(
        manager,
        {
          stayId,
          personId: input.personId ?? null,
          discipline: actor.role === 'team_member' ? actor.discipline : null,
          visibility: input.visibility,
          bodyCipher,
          authorId: actor.id,
        },
        this.clock.now(),
      );
      await this.audit.record(
        actor,
        'case_note.written',
        'case_note',
        inserted.id,
        { stayId, houseId: stay.houseId, visibility: input.visibility },
        manager,
      );
      return inserted;
    });
    const { bodyCipher: _, ...view } = note;
    return view;
  }

  /** Every read is recorded, with the notes it returned, whoever reads and whatever it finds. */
  async read(actor: Actor, stayId: string): Promise<NoteWithBodyDto[]> {
    const stay = await this.access.visibleStay(actor, stayId);
    const records = await this.notes.findReadable(stayId, actor.id, NOTES_READ_LIMIT);
    await this.audit.record(actor, 'case_notes.read', 'stay', stayId, {
      houseId: stay.houseId,
      notes: records.length,
    });
    const reader = await this.caseCipher.reader([stay.referralId]);
    return records.map((r) => this.view(r, reader));
  }

  private view(record: NoteRecord, reader: CaseReader): NoteWithBodyDto {
    const { bodyCipher, ...rest } = record;
    return { ...rest, body: reader.decrypt(bodyCipher) };
  }
}
