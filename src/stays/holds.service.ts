import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AlertsRepository } from '../alerts/alerts.repository';
import { Actor, houseScope, StaffActor } from '../common/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { isPgError, PG_EXCLUSION_VIOLATION } from '../common/pg-errors';
import { Config } from '../config/config';
import { ReferralsRepository } from '../referrals/referrals.repository';
import { placementRefused } from './admission.service';
import { CreateHoldDto, HoldDto, HoldsQueryDto } from './dto/hold.dto';
import { HoldResult, HoldsRepository } from './holds.repository';
import { BedsChanged, withRetries } from './retries';
import { HOLD_ALERT_MINUTES_BEFORE } from './stays.types';

/** Holds the sweep expires per transaction; the next run takes the rest. */
const SWEEP_BATCH = 200;

export interface SweepReport {
  expired: number;
  alerted: number;
}

/**
 * Transport holds (ingreso): a family's beds kept in the bed ledger while she travels, placed
 * by the admission's own rule. Confirming is the admission itself (`POST /stays` takes the
 * referral's live hold); the sweep only records what the ledger's time already did.
 */
@Injectable()
export class HoldsService {
  constructor(
    private readonly holds: HoldsRepository,
    private readonly referrals: ReferralsRepository,
    private readonly alerts: AlertsRepository,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  async hold(actor: StaffActor, input: CreateHoldDto): Promise<HoldDto> {
    if (input.bedIds && !input.houseId) {
      throw DomainError.validation('houseId', 'houseId is required when bedIds is given');
    }
    const now = this.clock.now();
    const result = await withRetries(
      async () => {
        const answer = await this.placeOnce(actor, input, now);
        if (answer.outcome === 'retry') {
          throw new BedsChanged();
        }
        return answer;
      },
      () => new DomainError('CONFLICT', 'The beds changed during the hold; please try again'),
    );
    if (result.outcome === 'held') {
      return (await this.holds.findById(result.holdId as string, now)) as HoldDto;
    }
    if (result.outcome === 'already_held') {
      throw alreadyHeld();
    }
    if (result.outcome === 'no_capacity') {
      // Unmet demand, as for `POST /stays`: once per referral and day, in its own statement.
      await this.referrals.recordUnmetDemand(null, input.referralId);
    }
    throw placementRefused(result.outcome, result.detail);
  }

  async cancel(actor: StaffActor, id: string): Promise<HoldDto> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const cancelled = await this.holds.cancel(manager, id, now);
      const hold = await this.holds.findById(id, now, manager);
      if (!hold) {
        throw DomainError.notFound('Hold');
      }
      if (!cancelled) {
        throw new DomainError('INVALID_STATE', `The hold is ${hold.status}`);
      }
      await this.audit.record(
        actor,
        'hold.cancelled',
        'hold',
        id,
        { referralId: hold.referralId, houseId: hold.houseId },
        manager,
      );
      return hold;
    });
  }

  async list(actor: Actor, query: HoldsQueryDto): Promise<HoldDto[]> {
    const scope = houseScope(actor);
    if (scope !== null && query.houseId !== undefined && query.houseId !== scope) {
      throw DomainError.notFound('House');
    }
    return this.holds.findMany(
      {
        status: query.status ?? null,
        houseId: scope ?? query.houseId ?? null,
        limit: query.limit ?? 100,
      },
      this.clock.now(),
    );
  }

  async find(actor: Actor, id: string): Promise<HoldDto> {
    const hold = await this.holds.findById(id, this.clock.now());
    const scope = houseScope(actor);
    if (!hold || (scope !== null && hold.houseId !== scope)) {
      throw DomainError.notFound('Hold');
    }
    return hold;
  }

  /**
   * The sweep job's work: a hold_expiring alert for each live hold within
   * HOLD_ALERT_MINUTES_BEFORE of its end (once per hold, by the alert's unique key), and every
   * lapsed hold recorded as expired with its audit event. Both in one transaction, so a replay
   * finds both done.
   */
  async sweep(): Promise<SweepReport> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const alerted = await this.alerts.raiseHoldExpiring(manager, now, HOLD_ALERT_MINUTES_BEFORE);
      for (const alert of alerted) {
        await this.audit.recordSystem(
          'hold_alert.sent',
          'hold',
          alert.holdId,
          { houseId: alert.houseId, alertId: alert.id },
          manager,
        );
      }
      const expired = await this.holds.expireLapsed(manager, now, SWEEP_BATCH);
      for (const hold of expired) {
        await this.audit.recordSystem(
          'hold.expired',
          'hold',
          hold.id,
          { referralId: hold.referralId, houseId: hold.houseId },
          manager,
        );
      }
      return { expired: expired.length, alerted: alerted.length };
    });
  }

  private async placeOnce(actor: StaffActor, input: CreateHoldDto, now: Date): Promise<HoldResult> {
    try {
      return await this.holds.place({
        referralId: input.referralId,
        houseId: input.houseId ?? null,
        bedIds: input.bedIds ?? null,
        minutes: input.minutes ?? this.config.stay.holdMinutes,
        now,
        actor: { id: actor.id, role: actor.role, requestId: actor.requestId },
      });
    } catch (error) {
      // The database's word on one live hold per referral: not a bed to retry for.
      if (isPgError(error, PG_EXCLUSION_VIOLATION, 'holds_one_live_per_referral')) {
        throw alreadyHeld();
      }
      throw error;
    }
  }
}

function alreadyHeld(): DomainError {
  return new DomainError('CONFLICT', 'The referral already has a live hold');
}
