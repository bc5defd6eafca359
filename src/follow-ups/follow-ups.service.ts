import { Injectable, Logger } from '@nestjs/common';
import { Duration } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { AlertsRepository } from '../alerts/alerts.repository';
import { AuditService } from '../audit/audit.service';
import { FollowUpSituation } from '../casework/casework.types';
import { FollowUpSituationDto } from '../casework/dto/situation.dto';
import {
  FollowUpSituationsRepository,
  SituationRecord,
} from '../casework/follow-up-situations.repository';
import { Actor, houseScope, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { CaseCipher, CaseWriter } from '../common/case-cipher';
import { Config } from '../config/config';
import {
  planFollowUps,
  PlannedFollowUp,
  PlannedTermAlert,
  planTermAlerts,
} from './follow-up-schedule';
import {
  FollowUpFilter,
  FollowUpOutcome,
  FollowUpRecord,
  FollowUpsRepository,
  FollowUpView,
} from './follow-ups.repository';
import { OutboxRelay } from './outbox-relay';

export interface FollowUpDetail extends FollowUpView {
  notes: string | null;
  situation: FollowUpSituation | null;
}

/**
 * Follow-up after egress and term alerts. The scheduling methods take the caller's transaction
 * (the stays use cases): the rows are the outbox and commit or roll back with the egress,
 * admission or extension. After commit the caller calls enqueueSoon().
 */
@Injectable()
export class FollowUpsService {
  private readonly logger = new Logger(FollowUpsService.name);
  private readonly offsets: readonly Duration[];

  constructor(
    private readonly repository: FollowUpsRepository,
    private readonly situations: FollowUpSituationsRepository,
    private readonly alerts: AlertsRepository,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly caseCipher: CaseCipher,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {
    this.offsets = config.followUps.schedule;
  }

  /** The follow-ups of an egress: one per FOLLOW_UP_SCHEDULE offset after `exitedAt`. */
  planAfterEgress(exitedAt: Date): PlannedFollowUp[] {
    return planFollowUps(exitedAt, this.offsets, this.config.time.zone);
  }

  /**
   * At egress: one follow-up per offset, and the stay's pending term alerts cancelled. The
   * egress itself does this inside its own call (stays_egress); both run the same function.
   */
  async scheduleAfterEgress(
    manager: EntityManager,
    stay: { id: string; houseId: string; referralId: string; exitedAt: Date },
  ): Promise<void> {
    await this.repository.scheduleAfterEgress(
      manager,
      stay,
      this.planAfterEgress(stay.exitedAt),
      this.clock.now(),
    );
  }

  /** At admission and after an extension: the stay's pending alerts are replaced. */
  async scheduleTermAlerts(
    manager: EntityManager,
    stay: { id: string; houseId: string; termEndsAt: Date },
  ): Promise<void> {
    const now = this.clock.now();
    await this.repository.cancelPendingTermAlerts(manager, stay.id, 'rescheduled', now);
    await this.repository.insertTermAlerts(
      manager,
      stay.id,
      stay.termEndsAt,
      planTermAlerts(stay.termEndsAt, now, this.config.time.zone),
    );
  }

  /** The term alerts of a new stay, written by the admission's own statement (the outbox). */
  planTermAlerts(termEndsAt: Date): PlannedTermAlert[] {
    return planTermAlerts(termEndsAt, this.clock.now(), this.config.time.zone);
  }

  /** The woman of this referral is admitted again: her pending follow-ups no longer apply. */
  async cancelPendingForReadmission(manager: EntityManager, referralId: string): Promise<void> {
    const cancelled = await this.repository.cancelPendingFollowUpsOfWoman(
      manager,
      referralId,
      this.clock.now(),
    );
    if (cancelled > 0) {
      this.logger.log(`Cancelled ${cancelled} pending follow-up(s) at readmission`);
    }
  }

  /**
   * Her follow_up_contact consent changed (in the consent's transaction, under the stay's lock):
   * the pending follow-ups it no longer covers are cancelled, so no reminder is ever recorded for
   * them, even by a job already in the queue (it re-reads the row).
   */
  cancelPendingForConsent(
    manager: EntityManager,
    stayId: string,
    consent: { granted: boolean; expiresAt: Date | null },
  ): Promise<number> {
    return this.repository.cancelPendingForConsent(manager, stayId, consent, this.clock.now());
  }

  /**
   * After commit: puts what was just scheduled into BullMQ. Best effort, never throws, never
   * waits: with Redis away the relay enqueues it when Redis returns.
   */
  enqueueSoon(): void {
    this.relay.trigger();
  }

  list(actor: Actor, filter: FollowUpFilter): Promise<FollowUpView[]> {
    const scope = houseScope(actor);
    if (scope !== null && filter.houseId !== undefined && filter.houseId !== scope) {
      throw DomainError.notFound('House');
    }
    return this.repository.findMany({ ...filter, houseId: scope ?? filter.houseId });
  }

  /** Reading notes is recorded: they are about a woman's situation after she left. */
  async get(actor: Actor, id: string): Promise<FollowUpDetail> {
    const record = await this.findVisible(actor, id);
    const situation = await this.situations.find(id);
    if (record.notesCipher !== null || situation !== null) {
      await this.audit.record(actor, 'follow_up.notes_read', 'follow_up', id, {
        houseId: record.houseId,
      });
    }
    return this.detail(record, situation);
  }

  async complete(
    actor: StaffActor,
    id: string,
    outcome: FollowUpOutcome,
    notes: string | undefined,
    situation?: FollowUpSituationDto,
  ): Promise<FollowUpDetail> {
    const found = await this.findVisible(actor, id);
    const trimmed = notes?.trim();
    const caseKey = await this.caseCipher.writer(found.referralId);
    const notesCipher = trimmed ? caseKey.encryptJson(trimmed) : null;
    const situationRecord = situation ? this.encryptSituation(caseKey, situation) : null;
    await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const completed = await this.repository.complete(
        manager,
        id,
        outcome,
        notesCipher,
        actor.id,
        now,
      );
      if (!completed) {
        throw new DomainError('INVALID_STATE', 'The follow-up is already completed or cancelled');
      }
      if (situationRecord) {
        await this.situations.insert(manager, id, situationRecord, actor.id, now);
        if (situationRecord.safety === 'at_risk') {
          // At once, in the completion's transaction: no queue between her risk and the team.
          await this.alerts.raiseAtRisk(
            manager,
            { followUpId: id, houseId: found.houseId, stayId: found.stayId },
            now,
          );
        }
      }
      await this.audit.record(
        actor,
        'follow_up.completed',
        'follow_up',
        id,
        {
          outcome,
          withNotes: notesCipher !== null,
          safety: situationRecord?.safety ?? null,
          housing: situationRecord?.housing ?? null,
        },
        manager,
      );
    });
    return this.detail(
      (await this.repository.findById(id)) as FollowUpRecord,
      await this.situations.find(id),
    );
  }

  /** Another house's follow-up answers 404, exactly as one that does not exist. */
  private async findVisible(actor: Actor, id: string): Promise<FollowUpRecord> {
    const record = await this.repository.findById(id);
    const scope = houseScope(actor);
    if (!record || (scope !== null && record.houseId !== scope)) {
      throw DomainError.notFound('Follow-up');
    }
    return record;
  }

  private encryptSituation(caseKey: CaseWriter, situation: FollowUpSituationDto): SituationRecord {
    const encrypt = (text: string | undefined) =>
      text?.trim() ? caseKey.encrypt(text.trim()) : null;
    return {
      safety: situation.safety,
      housing: situation.housing,
      legalProgressCipher: encrypt(situation.legalProgress),
      psychosocialProgressCipher: encrypt(situation.psychosocialProgress),
    };
  }

  private async detail(
    record: FollowUpRecord,
    situation: SituationRecord | null,
  ): Promise<FollowUpDetail> {
    const { notesCipher, referralId, ...view } = record;
    const reader = await this.caseCipher.reader([referralId]);
    const decrypt = (value: string | null) => (value === null ? null : reader.decrypt(value));
    return {
      ...view,
      notes: notesCipher === null ? null : reader.decryptJson<string>(notesCipher),
      situation:
        situation === null
          ? null
          : {
              safety: situation.safety,
              housing: situation.housing,
              legalProgress: decrypt(situation.legalProgressCipher),
              psychosocialProgress: decrypt(situation.psychosocialProgressCipher),
            },
    };
  }
}
