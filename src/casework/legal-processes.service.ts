import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HearingAlertsRepository } from '../alerts/hearing-alerts.repository';
import { AuditService } from '../audit/audit.service';
import { Actor, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { CaseCipher } from '../common/case-cipher';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { CaseAccess } from './case-access';
import {
  CreateLegalProcessDto,
  LegalProcessDto,
  UpdateLegalProcessDto,
} from './dto/legal-process.dto';
import {
  LegalProcessChangeRecord,
  LegalProcessesRepository,
  LegalProcessRecord,
} from './legal-processes.repository';

type Changed = 'status' | 'nextHearingAt' | 'note';

/**
 * The socio-legal line. A hearing date is scheduled as a hearing alert in the same transaction
 * (the outbox); after commit the relay is nudged, as egress does for follow-ups.
 */
@Injectable()
export class LegalProcessesService {
  constructor(
    private readonly processes: LegalProcessesRepository,
    private readonly hearingAlerts: HearingAlertsRepository,
    private readonly followUps: FollowUpsService,
    private readonly access: CaseAccess,
    private readonly audit: AuditService,
    private readonly caseCipher: CaseCipher,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(
    actor: StaffActor,
    stayId: string,
    input: CreateLegalProcessDto,
  ): Promise<LegalProcessDto> {
    assertMayWork(actor);
    const now = this.clock.now();
    const nextHearingAt = this.futureHearing(input.nextHearingAt, now);
    const stay = await this.access.visibleStay(actor, stayId);
    const caseKey = await this.caseCipher.writer(stay.referralId);
    const id = await this.dataSource.transaction(async (manager) => {
      const created = await this.processes.insert(
        manager,
        {
          stayId,
          kind: input.kind,
          authorityCipher: caseKey.encrypt(input.authority.trim()),
          caseNumberCipher: caseKey.encrypt(input.caseNumber.trim()),
          status: input.status,
          nextHearingAt,
          noteCipher: input.note?.trim() ? caseKey.encrypt(input.note.trim()) : null,
          authorId: actor.id,
        },
        now,
      );
      await this.hearingAlerts.reschedule(manager, created, nextHearingAt, now);
      await this.audit.record(
        actor,
        'legal_process.created',
        'legal_process',
        created,
        { stayId, houseId: stay.houseId, kind: input.kind, status: input.status },
        manager,
      );
      return created;
    });
    this.followUps.enqueueSoon();
    return this.one(id);
  }

  async update(
    actor: StaffActor,
    id: string,
    input: UpdateLegalProcessDto,
  ): Promise<LegalProcessDto> {
    assertMayWork(actor);
    const now = this.clock.now();
    const nextHearingAt =
      input.nextHearingAt === undefined ? undefined : this.futureHearing(input.nextHearingAt, now);
    const found = await this.processes.findById(id);
    this.access.assertVisibleHouse(actor, found?.houseId, 'Legal process');
    const changed: Changed[] = [];
    if (input.status !== undefined) {
      changed.push('status');
    }
    if (nextHearingAt !== undefined) {
      changed.push('nextHearingAt');
    }
    if (input.note !== undefined) {
      changed.push('note');
    }
    if (changed.length === 0) {
      throw DomainError.validation('body', 'give at least one of status, nextHearingAt, note');
    }
    await this.dataSource.transaction(async (manager) => {
      const process = (await this.processes.lock(manager, id)) as LegalProcessRecord;
      const caseKey = await this.caseCipher.writer(process.referralId);
      await this.processes.update(
        manager,
        id,
        {
          changed,
          status: input.status ?? null,
          nextHearingAt: nextHearingAt ?? null,
          noteCipher: input.note?.trim() ? caseKey.encrypt(input.note.trim()) : null,
          authorId: actor.id,
        },
        now,
      );
      const status = input.status ?? process.status;
      const hearing = nextHearingAt === undefined ? process.nextHearingAt : nextHearingAt;
      // A closed process has no hearing to announce; a new date replaces the alert.
      await this.hearingAlerts.reschedule(manager, id, status === 'closed' ? null : hearing, now);
      await this.audit.record(
        actor,
        'legal_process.updated',
        'legal_process',
        id,
        { stayId: process.stayId, houseId: process.houseId, changed, status },
        manager,
      );
    });
    this.followUps.enqueueSoon();
    return this.one(id);
  }

  async list(actor: Actor, stayId: string): Promise<LegalProcessDto[]> {
    await this.access.visibleStay(actor, stayId);
    const records = await this.processes.findByStay(stayId);
    return this.views(records);
  }

  private async one(id: string): Promise<LegalProcessDto> {
    const [view] = await this.views([(await this.processes.findById(id)) as LegalProcessRecord]);
    return view;
  }

  private async views(records: LegalProcessRecord[]): Promise<LegalProcessDto[]> {
    if (records.length === 0) {
      return [];
    }
    const changes = await this.processes.changesOf(records.map((r) => r.id));
    const byProcess = new Map<string, LegalProcessChangeRecord[]>();
    for (const change of changes) {
      byProcess.set(change.legalProcessId, [
        ...(byProcess.get(change.legalProcessId) ?? []),
        change,
      ]);
    }
    const reader = await this.caseCipher.reader(records.map((r) => r.referralId));
    const decrypt = (value: string | null) => (value === null ? null : reader.decrypt(value));
    return records.map((r) => ({
      id: r.id,
      stayId: r.stayId,
      kind: r.kind,
      authority: reader.decrypt(r.authorityCipher),
      caseNumber: reader.decrypt(r.caseNumberCipher),
      status: r.status,
      nextHearingAt: r.nextHearingAt,
      note: decrypt(r.noteCipher),
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      history: (byProcess.get(r.id) ?? []).map(({ legalProcessId: _, noteCipher, ...c }) => ({
        ...c,
        note: decrypt(noteCipher),
      })),
    }));
  }

  private futureHearing(value: string | null | undefined, now: Date): Date | null {
    if (value === undefined || value === null) {
      return null;
    }
    const at = new Date(value);
    if (at.getTime() <= now.getTime()) {
      throw DomainError.validation('nextHearingAt', 'nextHearingAt must be in the future');
    }
    return at;
  }
}

/** The legal line is the lawyers' (and the coordinator's and admins'); other disciplines read it. */
function assertMayWork(actor: StaffActor): void {
  if (actor.role === 'team_member' && actor.discipline !== 'legal') {
    throw new DomainError('FORBIDDEN', 'Only the legal discipline writes legal processes');
  }
}
