import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, houseScope, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Config } from '../config/config';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { ConsentsRepository } from './consents.repository';
import { CONSENT_PURPOSES, ConsentRecord, ConsentStay } from './consents.types';
import {
  ConsentRecordedDto,
  ConsentsDto,
  ConsentStateDto,
  RecordConsentDto,
} from './dto/consent.dto';

/**
 * Autorización (Ley 1581 de 2012): what the woman of a stay authorises, per purpose, as an
 * append-only history. `follow_up_contact` decides seguimiento: egress schedules follow-ups only
 * while it holds (stays_egress reads it), and recording that it no longer holds cancels the
 * pending ones in the same transaction.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly repository: ConsentsRepository,
    private readonly followUps: FollowUpsService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  async list(actor: Actor, stayId: string): Promise<ConsentsDto> {
    this.visible(actor, await this.repository.findStay(stayId));
    return this.view(stayId, await this.repository.history(stayId));
  }

  async record(
    actor: StaffActor,
    stayId: string,
    input: RecordConsentDto,
  ): Promise<ConsentRecordedDto> {
    const expiresOn = input.expiresOn ?? null;
    const expiresAt = expiresOn === null ? null : this.endOfLocalDay(expiresOn);
    // The body before the state (API.md): these refuse whatever the stay is.
    if (expiresOn !== null && !input.granted) {
      throw DomainError.validation('expiresOn', 'expiresOn is only for a grant (granted: true)');
    }
    if (expiresAt !== null && expiresAt <= this.clock.now()) {
      throw DomainError.validation('expiresOn', 'expiresOn must be today or a later date');
    }
    const followUpsCancelled = await this.dataSource.transaction(async (manager) => {
      const stay = this.visible(actor, await this.repository.lockStay(manager, stayId));
      const record = await this.repository.append(manager, {
        stayId,
        purpose: input.purpose,
        granted: input.granted,
        expiresOn,
        expiresAt,
        recordedBy: actor.id,
        recordedAt: this.clock.now(),
      });
      const cancelled =
        input.purpose === 'follow_up_contact'
          ? await this.followUps.cancelPendingForConsent(manager, stayId, record)
          : 0;
      await this.audit.record(
        actor,
        'consent.recorded',
        'stay',
        stayId,
        {
          houseId: stay.houseId,
          purpose: input.purpose,
          granted: input.granted,
          expiresOn,
          version: record.version,
          followUpsCancelled: cancelled,
        },
        manager,
      );
      return cancelled;
    });
    return { ...this.view(stayId, await this.repository.history(stayId)), followUpsCancelled };
  }

  /** Another house's stay answers 404, exactly as one that does not exist. */
  private visible(actor: Actor, stay: ConsentStay | null): ConsentStay {
    const scope = houseScope(actor);
    if (!stay || (scope !== null && stay.houseId !== scope)) {
      throw DomainError.notFound('Stay');
    }
    return stay;
  }

  private view(stayId: string, history: ConsentRecord[]): ConsentsDto {
    const now = this.clock.now();
    const current = CONSENT_PURPOSES.map((purpose): ConsentStateDto => {
      const latest = history
        .filter((r) => r.purpose === purpose)
        .reduce<ConsentRecord | null>(
          (a, r) => (a === null || r.version > a.version ? r : a),
          null,
        );
      const expired =
        latest !== null && latest.granted && latest.expiresAt !== null && latest.expiresAt <= now;
      return {
        purpose,
        granted: latest !== null && latest.granted && !expired,
        expired,
        expiresOn: latest?.expiresOn ?? null,
        recordedAt: latest?.recordedAt ?? null,
      };
    });
    return {
      stayId,
      current,
      history: history.map((r) => ({
        id: r.id,
        purpose: r.purpose,
        granted: r.granted,
        expiresOn: r.expiresOn,
        recordedAt: r.recordedAt,
        recordedBy: r.recordedBy,
      })),
    };
  }

  /** A grant holds through its last day in TZ_SERVICE: it ends at the next day's first instant. */
  private endOfLocalDay(date: string): Date {
    return DateTime.fromISO(date, { zone: this.config.time.zone })
      .plus({ days: 1 })
      .startOf('day')
      .toJSDate();
  }
}
