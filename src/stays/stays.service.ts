import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, houseScope } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import {
  isPgError,
  PG_DEADLOCK_DETECTED,
  PG_EXCLUSION_VIOLATION,
  PG_SERIALIZATION_FAILURE,
  PG_UNIQUE_VIOLATION,
} from '../common/pg-errors';
import { PiiCipher } from '../common/pii-cipher';
import { Config } from '../config/config';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import {
  CreateStayDto,
  EgressDto,
  ExtendStayDto,
  PlacementOptionDto,
  StayDto,
  StaysQueryDto,
  TransferStayDto,
} from './dto/stay.dto';
import { FamilyNeeds, HouseRank, placeInHouse, rankHouses, rankPlacements } from './placement';
import { atAdmissionTimeOfDay, localDate, startOfLocalDay, stayTerms } from './stay-clock';
import {
  LockedStay,
  Occupancy,
  Person,
  ReferralForAdmission,
  StayRecord,
  StaysRepository,
} from './stays.repository';

type Staff = Extract<Actor, { kind: 'staff' }>;

/** Attempts of one use case when a concurrent change got in the way (lock wait, exclusion). */
const MAX_ATTEMPTS = 5;

/** Thrown inside a transaction to start it again from a fresh read. */
class BedsChanged extends Error {}

function isRetryable(error: unknown): boolean {
  return (
    error instanceof BedsChanged ||
    isPgError(error, PG_EXCLUSION_VIOLATION) ||
    isPgError(error, PG_SERIALIZATION_FAILURE) ||
    isPgError(error, PG_DEADLOCK_DETECTED)
  );
}

interface Placement {
  houseId: string;
  beds: string[];
}

/**
 * How many of the best houses an admission without a named house reads first: more than the
 * officers who may be admitting at the same instant, since a house another admission is
 * placing into is passed over on the first round.
 */
const BEST_HOUSES_FIRST = 64;

/**
 * Admission, extension, transfer and egress: each one transaction, so that the follow-up
 * scheduling can join it, and each one safe under any number of concurrent requests because
 * the house, bed and stay rows are locked and the ledger's constraints have the last word.
 */
@Injectable()
export class StaysService {
  constructor(
    private readonly stays: StaysRepository,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly config: Config,
    private readonly followUps: FollowUpsService,
  ) {}

  async placementOptions(referralId: string): Promise<PlacementOptionDto[]> {
    const manager = this.dataSource.manager;
    const referral = await this.stays.findReferral(referralId);
    if (!referral) {
      throw DomainError.notFound('Referral');
    }
    this.assertAdmissible(referral);
    const family = await this.stays.findFamily(manager, referralId);
    const free = await this.stays.findFreeBeds(manager, this.clock.now(), null);
    return rankPlacements(free, {
      size: family.length,
      wheelchairAccessible: referral.wheelchairAccessible,
    }).map(({ houseId, houseCode, freePlaces, beds }) => ({
      houseId,
      houseCode,
      freePlaces,
      beds,
    }));
  }

  async admit(actor: Staff, input: CreateStayDto): Promise<StayDto> {
    const now = this.clock.now();
    if (input.bedIds && !input.houseId) {
      throw DomainError.validation('houseId', 'houseId is required when bedIds is given');
    }
    const admittedAt = input.admittedAt ? new Date(input.admittedAt) : now;
    if (admittedAt > now) {
      throw DomainError.validation('admittedAt', 'admittedAt must not be in the future');
    }
    const stayId = await this.withRetries(
      () =>
        this.dataSource.transaction((manager) =>
          this.admitInTransaction(manager, actor, input, admittedAt, now),
        ),
      () => new DomainError('CONFLICT', 'The beds changed during the admission; please try again'),
    );
    this.followUps.enqueueSoon();
    return this.view(await this.stays.findStay(stayId));
  }

  private async admitInTransaction(
    manager: EntityManager,
    actor: Staff,
    input: CreateStayDto,
    admittedAt: Date,
    now: Date,
  ): Promise<string> {
    const referral = await this.stays.lockReferral(manager, input.referralId);
    if (!referral) {
      throw DomainError.notFound('Referral');
    }
    if (admittedAt < startOfLocalDay(referral.orderIssuedAt, this.config.time.zone)) {
      throw DomainError.validation(
        'admittedAt',
        'admittedAt must not be before the day the protection order was issued',
      );
    }
    const family = await this.stays.findFamily(manager, referral.id);
    if (input.bedIds && input.bedIds.length !== family.length) {
      throw DomainError.validation(
        'bedIds',
        `bedIds must name one bed per person of the family (${family.length})`,
      );
    }
    if (input.houseId && !(await this.stays.houseExists(manager, input.houseId))) {
      throw DomainError.validation('houseId', 'houseId is not a house');
    }
    this.assertAdmissible(referral);

    const placement = input.houseId
      ? await this.placeInNamedHouse(
          manager,
          referral,
          family,
          input.houseId,
          input.bedIds,
          admittedAt,
        )
      : await this.placeAnywhere(manager, referral, family, admittedAt, now);

    const terms = stayTerms(admittedAt, { zone: this.config.time.zone, ...this.config.stay });
    const stayId = await this.stays.insertStay(manager, {
      referralId: referral.id,
      houseId: placement.houseId,
      admittedAt,
      ...terms,
      admittedBy: actor.id,
      now,
    });
    await this.stays.openOccupancies(
      manager,
      stayId,
      placement.houseId,
      this.assign(family, placement.beds),
      admittedAt,
    );
    if (!(await this.stays.markReferralAdmitted(manager, referral.id, admittedAt, now))) {
      throw new DomainError('ALREADY_ADMITTED', 'The referral has already been admitted');
    }
    // She is back in a house: the follow-ups of her earlier stays no longer apply, and this
    // stay's term alerts are written in the same transaction (the outbox).
    await this.followUps.cancelPendingForReadmission(manager, referral.id);
    await this.followUps.scheduleTermAlerts(manager, {
      id: stayId,
      houseId: placement.houseId,
      termEndsAt: terms.termEndsAt,
    });
    await this.audit.record(
      actor,
      'stay.admitted',
      'stay',
      stayId,
      {
        referralId: referral.id,
        houseId: placement.houseId,
        people: family.length,
        backdated: admittedAt.getTime() !== now.getTime(),
      },
      manager,
    );
    return stayId;
  }

  /** The named house only; with bedIds exactly those beds, else the service's choice there. */
  private async placeInNamedHouse(
    manager: EntityManager,
    referral: ReferralForAdmission,
    family: Person[],
    houseId: string,
    bedIds: string[] | undefined,
    from: Date,
  ): Promise<Placement> {
    await this.stays.lockHouses(manager, [houseId]);
    if (bedIds) {
      const { missing, unavailable } = await this.stays.lockBedsAndFindUnavailable(
        manager,
        bedIds,
        houseId,
        from,
      );
      if (missing.length > 0) {
        throw DomainError.validation('bedIds', 'every bed of bedIds must be in houseId');
      }
      if (unavailable.length > 0) {
        throw new DomainError(
          'BED_OCCUPIED',
          `${unavailable.length} of the chosen beds are taken or out of service`,
        );
      }
      return { houseId, beds: bedIds };
    }
    const option = placeInHouse(await this.stays.findFreeBeds(manager, from, houseId), {
      size: family.length,
      wheelchairAccessible: referral.wheelchairAccessible,
    });
    if (!option) {
      throw new DomainError('NO_CAPACITY', 'The house cannot take the whole family');
    }
    await this.lockChosenBeds(manager, houseId, option.beds, from);
    return { houseId, beds: option.beds };
  }

  /**
   * Tries the placement options best first. Each house is locked inside a savepoint and, when
   * it turns out full once locked, released again, so this transaction never holds two house
   * locks and cannot deadlock with another admission. A house another admission is placing
   * into right now is passed over on the first round (its free beds are about to change
   * anyway) and waited for only when no other house can take the family: concurrent
   * admissions spread over the network instead of queueing on one house.
   */
  private async placeAnywhere(
    manager: EntityManager,
    referral: ReferralForAdmission,
    family: Person[],
    from: Date,
    now: Date,
  ): Promise<Placement> {
    const needs = { size: family.length, wheelchairAccessible: referral.wheelchairAccessible };
    // The best houses first (enough of them for every officer admitting at once), the whole
    // network only when none of those can take the family after all.
    const best = await this.stays.findFreeRooms(manager, from, now, {
      needs,
      houses: BEST_HOUSES_FIRST,
    });
    const tried = new Set<string>();
    const placement =
      (await this.tryHouses(manager, rankHouses(best.rooms, needs), needs, from, tried)) ??
      (best.complete
        ? null
        : await this.tryHouses(
            manager,
            rankHouses((await this.stays.findFreeRooms(manager, from, now)).rooms, needs),
            needs,
            from,
            tried,
          ));
    if (!placement) {
      throw new DomainError('NO_CAPACITY', 'No house can take the whole family now');
    }
    return placement;
  }

  private async tryHouses(
    manager: EntityManager,
    candidates: HouseRank[],
    needs: FamilyNeeds,
    from: Date,
    tried: Set<string>,
  ): Promise<Placement | null> {
    const busy: string[] = [];
    const untried = candidates.map((c) => c.houseId).filter((id) => !tried.has(id));
    for (const wait of [false, true]) {
      for (const houseId of wait ? busy : untried) {
        tried.add(houseId);
        await this.stays.savepoint(manager, 'try_house');
        if (wait) {
          await this.stays.lockHouses(manager, [houseId]);
        } else if (!(await this.stays.lockHouseIfFree(manager, houseId))) {
          busy.push(houseId);
          await this.stays.rollbackToSavepoint(manager, 'try_house');
          continue;
        }
        const option = placeInHouse(await this.stays.findFreeBeds(manager, from, houseId), needs);
        if (option) {
          await this.lockChosenBeds(manager, houseId, option.beds, from);
          await this.stays.releaseSavepoint(manager, 'try_house');
          return { houseId, beds: option.beds };
        }
        await this.stays.rollbackToSavepoint(manager, 'try_house');
      }
    }
    return null;
  }

  /** A bed taken out of service between our read and our lock sends us round again. */
  private async lockChosenBeds(
    manager: EntityManager,
    houseId: string,
    bedIds: string[],
    from: Date,
  ): Promise<void> {
    const { missing, unavailable } = await this.stays.lockBedsAndFindUnavailable(
      manager,
      bedIds,
      houseId,
      from,
    );
    if (missing.length > 0 || unavailable.length > 0) {
      throw new BedsChanged();
    }
  }

  /** Beds are given in the family's order: the woman's first. */
  private assign(people: Person[], beds: string[]): Occupancy[] {
    return people.map((p, i) => ({ personId: p.personId, role: p.role, bedId: beds[i] }));
  }

  private assertAdmissible(referral: ReferralForAdmission): void {
    switch (referral.status) {
      case 'received':
        return;
      case 'admitted':
      case 'exited':
        throw new DomainError('ALREADY_ADMITTED', 'The referral has already been admitted');
      case 'rejected':
      case 'withdrawn':
        throw new DomainError('INVALID_STATE', `The referral was ${referral.status}`);
    }
  }

  async extend(actor: Staff, stayId: string, input: ExtendStayDto): Promise<StayDto> {
    const tz = this.config.time.zone;
    await this.dataSource.transaction(async (manager) => {
      const stay = await this.lockVisibleStay(manager, actor, stayId);
      const termDate = localDate(stay.termEndsAt, tz);
      const maxDate = localDate(stay.maxEndsAt, tz);
      if (input.until <= termDate) {
        throw DomainError.validation(
          'until',
          `until must be after the current end of the term (${termDate})`,
        );
      }
      if (stay.status !== 'active') {
        throw new DomainError('INVALID_STATE', 'The stay has ended');
      }
      if (input.until > maxDate) {
        throw new DomainError(
          'STAY_LIMIT_EXCEEDED',
          `A stay may be extended up to ${maxDate} at most`,
        );
      }
      const wanted = atAdmissionTimeOfDay(input.until, stay.admittedAt, tz);
      const termEndsAt = wanted > stay.maxEndsAt ? stay.maxEndsAt : wanted;
      await this.stays.extendTerm(manager, stay.id, {
        previousTermEndsAt: stay.termEndsAt,
        termEndsAt,
        reason: input.reason.trim(),
        extendedBy: actor.id,
        now: this.clock.now(),
      });
      await this.followUps.scheduleTermAlerts(manager, {
        id: stay.id,
        houseId: stay.houseId,
        termEndsAt,
      });
      await this.audit.record(
        actor,
        'stay.extended',
        'stay',
        stay.id,
        { houseId: stay.houseId, termEndsAt: termEndsAt.toISOString() },
        manager,
      );
    });
    this.followUps.enqueueSoon();
    return this.view(await this.stays.findStay(stayId));
  }

  async transfer(actor: Staff, stayId: string, input: TransferStayDto): Promise<StayDto> {
    await this.withRetries(
      () =>
        this.dataSource.transaction(async (manager) => {
          const stay = await this.lockVisibleStay(manager, actor, stayId);
          if (input.toHouseId === stay.houseId) {
            throw DomainError.validation('toHouseId', 'toHouseId must be another house');
          }
          if (!(await this.stays.houseExists(manager, input.toHouseId))) {
            throw DomainError.validation('toHouseId', 'toHouseId is not a house');
          }
          if (stay.status !== 'active') {
            throw new DomainError('INVALID_STATE', 'The stay has ended');
          }
          await this.stays.lockHouses(manager, [stay.houseId, input.toHouseId]);
          const now = this.clock.now();
          const referral = (await this.stays.findReferral(
            stay.referralId,
            manager,
          )) as ReferralForAdmission;
          const family = await this.stays.findOpenOccupancies(manager, stay.id);
          const option = placeInHouse(
            await this.stays.findFreeBeds(manager, now, input.toHouseId),
            { size: family.length, wheelchairAccessible: referral.wheelchairAccessible },
          );
          if (!option) {
            throw new DomainError('NO_CAPACITY', 'The house cannot take the whole family');
          }
          await this.lockChosenBeds(manager, input.toHouseId, option.beds, now);
          await this.stays.closeOccupancies(manager, stay.id, now);
          // The stay moves first: a new interval must name the stay's house.
          await this.stays.recordTransfer(manager, stay.id, {
            fromHouseId: stay.houseId,
            toHouseId: input.toHouseId,
            reason: input.reason.trim(),
            transferredBy: actor.id,
            at: now,
          });
          await this.stays.openOccupancies(
            manager,
            stay.id,
            input.toHouseId,
            this.assign(family, option.beds),
            now,
          );
          await this.audit.record(
            actor,
            'stay.transferred',
            'stay',
            stay.id,
            { fromHouseId: stay.houseId, toHouseId: input.toHouseId, people: family.length },
            manager,
          );
        }),
      () => new DomainError('CONFLICT', 'The beds changed during the transfer; please try again'),
    );
    return this.view(await this.stays.findStay(stayId));
  }

  async egress(actor: Staff, stayId: string, input: EgressDto): Promise<StayDto> {
    const now = this.clock.now();
    const exitedAt = input.exitedAt ? new Date(input.exitedAt) : now;
    if (exitedAt > now) {
      throw DomainError.validation('exitedAt', 'exitedAt must not be in the future');
    }
    await this.dataSource.transaction(async (manager) => {
      const stay = await this.lockVisibleStay(manager, actor, stayId);
      if (exitedAt <= stay.lastMovedAt) {
        throw DomainError.validation(
          'exitedAt',
          'exitedAt must be after the admission and after the last transfer',
        );
      }
      const exited = await this.stays.markExited(manager, stay.id, {
        exitedAt,
        reason: input.reason,
        destinationCiphertext: input.destination?.trim()
          ? this.cipher.encrypt(input.destination.trim())
          : null,
        notesCiphertext: input.notes ? this.cipher.encrypt(input.notes) : null,
        exitedBy: actor.id,
        now,
      });
      if (!exited) {
        throw new DomainError('INVALID_STATE', 'The stay has already ended');
      }
      const freed = await this.stays.closeOccupancies(manager, stay.id, exitedAt);
      if (!(await this.stays.markReferralExited(manager, stay.referralId, exitedAt, now))) {
        throw new DomainError('INVALID_STATE', 'The referral is not admitted');
      }
      // Seguimiento: the follow-ups are rows of this transaction; the queue is fed after commit
      // and by the relay, so egress never depends on Redis being up.
      await this.followUps.scheduleAfterEgress(manager, {
        id: stay.id,
        houseId: stay.houseId,
        referralId: stay.referralId,
        exitedAt,
      });
      await this.audit.record(
        actor,
        'stay.exited',
        'stay',
        stay.id,
        { houseId: stay.houseId, reason: input.reason, bedsFreed: freed },
        manager,
      );
    });
    this.followUps.enqueueSoon();
    return this.view(await this.stays.findStay(stayId));
  }

  async find(actor: Actor, stayId: string): Promise<StayDto> {
    const stay = await this.stays.findStay(stayId);
    const scope = houseScope(actor);
    if (!stay || (scope !== null && stay.houseId !== scope)) {
      throw DomainError.notFound('Stay');
    }
    if (stay.egressNotesCiphertext !== null || stay.egressDestinationCiphertext !== null) {
      await this.audit.record(actor, 'stay.personal_data_read', 'stay', stay.id, {
        houseId: stay.houseId,
      });
    }
    return this.view(stay, { withPersonalData: true });
  }

  async list(actor: Actor, query: StaysQueryDto): Promise<StayDto[]> {
    const scope = houseScope(actor);
    if (scope !== null && query.houseId !== undefined && query.houseId !== scope) {
      throw DomainError.notFound('House');
    }
    const stays = await this.stays.findStays({
      houseId: scope ?? query.houseId ?? null,
      status: query.status,
    });
    return stays.map((s) => this.view(s, { withPersonalData: false }));
  }

  /** A coordinator may act only on stays of its house; any other answers 404 like a missing one. */
  private async lockVisibleStay(
    manager: EntityManager,
    actor: Staff,
    stayId: string,
  ): Promise<LockedStay> {
    const stay = await this.stays.lockStay(manager, stayId);
    const scope = houseScope(actor);
    if (!stay || (scope !== null && stay.houseId !== scope)) {
      throw DomainError.notFound('Stay');
    }
    return stay;
  }

  private async withRetries<T>(work: () => Promise<T>, exhausted: () => DomainError): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (isPgError(error, PG_UNIQUE_VIOLATION, 'stays_one_active_per_referral')) {
          throw new DomainError('ALREADY_ADMITTED', 'The referral has already been admitted');
        }
        if (!isRetryable(error)) {
          throw error;
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw exhausted();
        }
      }
    }
  }

  /**
   * Where she went and the egress notes are personal data: decrypted only for one stay (its
   * read audited by `find`; the egress answer shows what the caller just wrote), never in lists.
   */
  private view(
    stay: StayRecord | null,
    { withPersonalData }: { withPersonalData: boolean } = { withPersonalData: true },
  ): StayDto {
    if (!stay) {
      throw DomainError.notFound('Stay');
    }
    const { egressNotesCiphertext, egressDestinationCiphertext, ...rest } = stay;
    if (!withPersonalData) {
      return rest;
    }
    const decrypt = (value: string | null) => (value ? this.cipher.decrypt(value) : null);
    return {
      ...rest,
      egressDestination: decrypt(egressDestinationCiphertext),
      egressNotes: decrypt(egressNotesCiphertext),
    };
  }
}
