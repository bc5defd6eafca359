import { Injectable, Logger } from '@nestjs/common';
import { StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Config } from '../config/config';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { ReferralStatus } from '../referrals/referral.types';
import { ReferralsRepository } from '../referrals/referrals.repository';
import { AdmissionOutcome, AdmissionRepository, AdmissionResult } from './admission.repository';
import { CreateStayDto, PlacementOptionDto, StayDto } from './dto/stay.dto';
import { BedsChanged, withRetries } from './retries';
import { stayTerms } from './stay-clock';
import { StayService } from './stay.service';

/**
 * Ingreso: where a family can go (placement) and its admission. Where a family goes is decided
 * by the database (`stays_rank_houses`), the same rule for the options shown and the beds
 * given; the admission is one call under the house's lock, safe under any number of concurrent
 * requests because the ledger's constraints have the last word.
 */
@Injectable()
export class AdmissionService {
  private readonly logger = new Logger(AdmissionService.name);

  constructor(
    private readonly admission: AdmissionRepository,
    private readonly stays: StayService,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly followUps: FollowUpsService,
    private readonly referrals: ReferralsRepository,
  ) {}

  async placementOptions(referralId: string): Promise<PlacementOptionDto[]> {
    const referral = await this.admission.findReferralToPlace(referralId);
    if (!referral) {
      throw DomainError.notFound('Referral');
    }
    if (referral.status !== 'received') {
      throw notAdmissible(referral.status);
    }
    return this.admission.findPlacements(
      { size: referral.familySize, wheelchairAccessible: referral.wheelchairAccessible },
      this.clock.now(),
    );
  }

  async admit(actor: StaffActor, input: CreateStayDto): Promise<StayDto> {
    const now = this.clock.now();
    if (input.bedIds && !input.houseId) {
      throw DomainError.validation('houseId', 'houseId is required when bedIds is given');
    }
    // An erased case is nobody's to admit (the stay trigger refuses it too, as the last word).
    if ((await this.referrals.findById(input.referralId, null))?.erasedAt) {
      throw new DomainError('INVALID_STATE', 'The referral was erased');
    }
    const admittedAt = input.admittedAt ? new Date(input.admittedAt) : now;
    if (admittedAt > now) {
      throw DomainError.validation('admittedAt', 'admittedAt must not be in the future');
    }
    const terms = stayTerms(admittedAt, { zone: this.config.time.zone, ...this.config.stay });
    const termAlerts = this.followUps.planTermAlerts(terms.termEndsAt);
    const result = await withRetries(
      async () => {
        const answer = await this.admission.admit({
          referralId: input.referralId,
          houseId: input.houseId ?? null,
          bedIds: input.bedIds ?? null,
          admittedAt,
          now,
          timeZone: this.config.time.zone,
          ...terms,
          termAlerts,
          actor: { id: actor.id, role: actor.role, requestId: actor.requestId },
        });
        if (answer.outcome === 'retry') {
          throw new BedsChanged();
        }
        return answer;
      },
      () => new DomainError('CONFLICT', 'The beds changed during the admission; please try again'),
    );
    if (result.outcome === 'no_capacity') {
      // Unmet demand, once per referral and day; `stays_admit` wrote nothing, so this is its
      // own statement, kept whatever the admission did.
      await this.referrals.recordUnmetDemand(null, input.referralId);
    }
    const stayId = this.admitted(result);
    if (result.cancelledFollowUps > 0) {
      this.logger.log(`Cancelled ${result.cancelledFollowUps} pending follow-up(s) at readmission`);
    }
    // The term alerts are committed rows (the outbox): the queue is fed now, or by the relay.
    this.followUps.enqueueSoon();
    return this.stays.present(stayId);
  }

  /** The stay's id, or the contract's error for why the database refused the admission. */
  private admitted({ outcome, stayId, detail }: AdmissionResult): string {
    if (outcome === 'admitted') {
      return stayId as string;
    }
    if (outcome === 'before_order') {
      throw DomainError.validation(
        'admittedAt',
        'admittedAt must not be before the day the protection order was issued',
      );
    }
    throw placementRefused(outcome, detail);
  }
}

function notAdmissible(status: Exclude<ReferralStatus, 'received'>): DomainError {
  switch (status) {
    case 'admitted':
    case 'exited':
      return new DomainError('ALREADY_ADMITTED', 'The referral has already been admitted');
    case 'rejected':
    case 'withdrawn':
      return new DomainError('INVALID_STATE', `The referral was ${status}`);
  }
}

/**
 * The contract's error for a placement the database refused before writing anything: the
 * same answers for an admission (`stays_admit`) and a hold (`holds_place`).
 */
export function placementRefused(
  outcome: Exclude<AdmissionOutcome, 'admitted' | 'before_order'>,
  detail: string | null,
): DomainError {
  switch (outcome) {
    case 'referral_not_found':
      return DomainError.notFound('Referral');
    case 'beds_count':
      return DomainError.validation(
        'bedIds',
        `bedIds must name one bed per person of the family (${detail})`,
      );
    case 'not_a_house':
      return DomainError.validation('houseId', 'houseId is not a house');
    case 'already_admitted':
      return notAdmissible('admitted');
    case 'invalid_state':
      return notAdmissible(detail as 'rejected' | 'withdrawn');
    case 'bed_not_in_house':
      return DomainError.validation('bedIds', 'every bed of bedIds must be in houseId');
    case 'bed_occupied':
      return new DomainError(
        'BED_OCCUPIED',
        `${detail} of the chosen beds are taken or out of service`,
      );
    case 'no_capacity':
      return new DomainError(
        'NO_CAPACITY',
        detail === 'house'
          ? 'The house cannot take the whole family'
          : 'No house can take the whole family now',
      );
    case 'retry':
      return new DomainError('CONFLICT', 'The beds changed during the placement; please try again');
  }
}
