import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, Discipline, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { CaseCipher, CaseReader } from '../common/case-cipher';
import { AttentionRecord, AttentionsRepository } from './attentions.repository';
import { CaseAccess } from './case-access';
import { CaseStaysRepository } from './case-stays.repository';
import { AttentionDto, AttentionsQueryDto, CreateAttentionDto } from './dto/attention.dto';

export const DEFAULT_ATTENTIONS_LIMIT = 500;

@Injectable()
export class AttentionsService {
  constructor(
    private readonly attentions: AttentionsRepository,
    private readonly stays: CaseStaysRepository,
    private readonly access: CaseAccess,
    private readonly audit: AuditService,
    private readonly caseCipher: CaseCipher,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(
    actor: StaffActor,
    stayId: string,
    input: CreateAttentionDto,
  ): Promise<AttentionDto> {
    const discipline = authorDiscipline(actor, input.discipline);
    const now = this.clock.now();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    if (occurredAt.getTime() > now.getTime()) {
      throw DomainError.validation('occurredAt', 'occurredAt must not be in the future');
    }
    let referralId = '';
    const record = await this.dataSource.transaction(async (manager) => {
      // Locked, so that an egress cannot slip in between the date check and the insert.
      const stay = await this.access.lockVisibleStay(actor, manager, stayId);
      if (!(await this.stays.isPersonOfStay(stayId, input.personId))) {
        throw DomainError.validation('personId', 'personId must be a person of this stay');
      }
      if (occurredAt.getTime() < stay.admittedAt.getTime()) {
        throw DomainError.validation('occurredAt', 'occurredAt must not be before the admission');
      }
      if (stay.exitedAt !== null && occurredAt.getTime() > stay.exitedAt.getTime()) {
        throw DomainError.validation('occurredAt', 'occurredAt must not be after the egress');
      }
      referralId = stay.referralId;
      const note = input.note?.trim()
        ? (await this.caseCipher.writer(stay.referralId)).encrypt(input.note.trim())
        : null;
      const inserted = await this.attentions.insert(
        manager,
        {
          stayId,
          personId: input.personId,
          discipline,
          kind: input.kind,
          occurredAt,
          durationMinutes: input.durationMinutes ?? null,
          noteCipher: note,
          authorId: actor.id,
        },
        now,
      );
      await this.audit.record(
        actor,
        'attention.recorded',
        'attention',
        inserted.id,
        { stayId, houseId: stay.houseId, discipline, kind: input.kind },
        manager,
      );
      return inserted;
    });
    return this.view(record, await this.caseCipher.reader([referralId]));
  }

  /** Attention notes are personal text: a list that shows them is recorded as a read. */
  async list(actor: Actor, stayId: string, query: AttentionsQueryDto): Promise<AttentionDto[]> {
    const stay = await this.access.visibleStay(actor, stayId);
    const records = await this.attentions.findByStay(stayId, {
      personId: query.personId ?? null,
      discipline: query.discipline ?? null,
      limit: query.limit ?? DEFAULT_ATTENTIONS_LIMIT,
    });
    const withNotes = records.filter((r) => r.noteCipher !== null).length;
    if (withNotes > 0) {
      await this.audit.record(actor, 'attentions.notes_read', 'stay', stayId, {
        houseId: stay.houseId,
        notes: withNotes,
      });
    }
    const reader = await this.caseCipher.reader([stay.referralId]);
    return records.map((r) => this.view(r, reader));
  }

  private view(record: AttentionRecord, reader: CaseReader): AttentionDto {
    const { noteCipher, ...rest } = record;
    return { ...rest, note: noteCipher === null ? null : reader.decrypt(noteCipher) };
  }
}

/** A team member records in her own discipline; others say which discipline gave it. */
function authorDiscipline(actor: StaffActor, given: Discipline | undefined): Discipline {
  if (actor.role === 'team_member' && actor.discipline !== null) {
    if (given !== undefined && given !== actor.discipline) {
      throw DomainError.validation('discipline', 'discipline must be your own discipline');
    }
    return actor.discipline;
  }
  if (given === undefined) {
    throw DomainError.validation('discipline', 'discipline is required for your role');
  }
  return given;
}
