import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { startOfLocalDay } from '../common/local-day';
import { Environment } from '../config/environment';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { HousesRepository } from '../houses/houses.repository';
import { ReferralsRepository } from '../referrals/referrals.repository';
import { AdmissionRepository, Person, ReferralForAdmission } from './admission.repository';
import { CreateStayDto, PlacementOptionDto, StayDto } from './dto/stay.dto';
import {
  assignBeds,
  FamilyNeeds,
  HouseRank,
  placeInHouse,
  rankHouses,
  rankPlacements,
} from './placement';
import { withRetries } from './retries';
import { stayTerms } from './stay-clock';
import { StayRepository } from './stay.repository';
import { StayService } from './stay.service';

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
 * Ingreso: where a family can go (placement) and its admission, one transaction safe under any
 * number of concurrent requests: the house, bed and referral rows are locked and the ledger's
 * constraints have the last word.
 */
@Injectable()
export class AdmissionService {
  constructor(
    private readonly admission: AdmissionRepository,
    private readonly ledger: StayRepository,
    private readonly referrals: ReferralsRepository,
    private readonly houses: HousesRepository,
    private readonly stays: StayService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly env: Environment,
    private readonly followUps: FollowUpsService,
  ) {}
  async placementOptions(referralId: string): Promise<PlacementOptionDto[]> {
    const manager = this.dataSource.manager;
    const referral = await this.admission.findReferral(referralId);
    if (!referral) {
      throw DomainError.notFound('Referral');
    }
    this.assertAdmissible(referral);
    const family = await this.admission.findFamily(manager, referralId);
    const free = await this.ledger.findFreeBeds(manager, this.clock.now(), null);
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

  async admit(actor: StaffActor, input: CreateStayDto): Promise<StayDto> {
    const now = this.clock.now();
    if (input.bedIds && !input.houseId) {
      throw DomainError.validation('houseId', 'houseId is required when bedIds is given');
    }
    const admittedAt = input.admittedAt ? new Date(input.admittedAt) : now;
    if (admittedAt > now) {
      throw DomainError.validation('admittedAt', 'admittedAt must not be in the future');
    }
    const stayId = await withRetries(
      () =>
        this.dataSource.transaction((manager) =>
          this.admitInTransaction(manager, actor, input, admittedAt, now),
        ),
      () => new DomainError('CONFLICT', 'The beds changed during the admission; please try again'),
    );
    this.followUps.enqueueSoon();
    return this.stays.present(stayId);
  }

  private async admitInTransaction(
    manager: EntityManager,
    actor: StaffActor,
    input: CreateStayDto,
    admittedAt: Date,
    now: Date,
  ): Promise<string> {
    const referral = await this.admission.lockReferral(manager, input.referralId);
    if (!referral) {
      throw DomainError.notFound('Referral');
    }
    if (admittedAt < startOfLocalDay(referral.orderIssuedAt, this.env.TZ_SERVICE)) {
      throw DomainError.validation(
        'admittedAt',
        'admittedAt must not be before the day the protection order was issued',
      );
    }
    const family = await this.admission.findFamily(manager, referral.id);
    if (input.bedIds && input.bedIds.length !== family.length) {
      throw DomainError.validation(
        'bedIds',
        `bedIds must name one bed per person of the family (${family.length})`,
      );
    }
    if (input.houseId && !(await this.houses.houseExists(input.houseId, manager))) {
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

    const terms = stayTerms(admittedAt, this.env);
    const stayId = await this.admission.insertStay(manager, {
      referralId: referral.id,
      houseId: placement.houseId,
      admittedAt,
      ...terms,
      admittedBy: actor.id,
      now,
    });
    await this.ledger.openOccupancies(
      manager,
      stayId,
      placement.houseId,
      assignBeds(family, placement.beds),
      admittedAt,
    );
    if (!(await this.referrals.markAdmitted(manager, referral.id, admittedAt, now))) {
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
    await this.ledger.lockHouses(manager, [houseId]);
    if (bedIds) {
      const { missing, unavailable } = await this.ledger.lockBedsAndFindUnavailable(
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
    const option = placeInHouse(await this.ledger.findFreeBeds(manager, from, houseId), {
      size: family.length,
      wheelchairAccessible: referral.wheelchairAccessible,
    });
    if (!option) {
      throw new DomainError('NO_CAPACITY', 'The house cannot take the whole family');
    }
    await this.stays.lockChosenBeds(manager, houseId, option.beds, from);
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
    const best = await this.admission.findFreeRooms(manager, from, now, {
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
            rankHouses((await this.admission.findFreeRooms(manager, from, now)).rooms, needs),
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
        await this.admission.savepoint(manager, 'try_house');
        if (wait) {
          await this.ledger.lockHouses(manager, [houseId]);
        } else if (!(await this.admission.lockHouseIfFree(manager, houseId))) {
          busy.push(houseId);
          await this.admission.rollbackToSavepoint(manager, 'try_house');
          continue;
        }
        const option = placeInHouse(await this.ledger.findFreeBeds(manager, from, houseId), needs);
        if (option) {
          await this.stays.lockChosenBeds(manager, houseId, option.beds, from);
          await this.admission.releaseSavepoint(manager, 'try_house');
          return { houseId, beds: option.beds };
        }
        await this.admission.rollbackToSavepoint(manager, 'try_house');
      }
    }
    return null;
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
}
