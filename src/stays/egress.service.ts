import { Injectable } from '@nestjs/common';
import { houseScope, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { isPgError } from '../common/pg-errors';
import { CaseCipher } from '../common/case-cipher';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { EgressDto, StayDto } from './dto/stay.dto';
import { EgressRepository } from './egress.repository';
import { StayService } from './stay.service';
import { StayRepository } from './stay.repository';

/** Raised by stays_egress when the stay's referral turns out not admitted. */
const PG_REFERRAL_NOT_ADMITTED = 'RF002';

/**
 * Egreso: the stay ends, its beds are free at once, the referral is exited and the follow-ups
 * are scheduled, in one call under the stay's lock. Seguimiento's rows are written by that call
 * (the outbox): the queue is fed after it, and by the relay, so egress never depends on Redis.
 */
@Injectable()
export class EgressService {
  constructor(
    private readonly egressRepository: EgressRepository,
    private readonly stays: StayService,
    private readonly clock: Clock,
    private readonly caseCipher: CaseCipher,
    private readonly stayRepository: StayRepository,
    private readonly followUps: FollowUpsService,
  ) {}

  async egress(actor: StaffActor, stayId: string, input: EgressDto): Promise<StayDto> {
    const now = this.clock.now();
    const exitedAt = input.exitedAt ? new Date(input.exitedAt) : now;
    if (exitedAt > now) {
      throw DomainError.validation('exitedAt', 'exitedAt must not be in the future');
    }
    const destination = input.destination?.trim();
    // Under the case's key; a stay not found makes no key (the exit answers 404 below).
    const referralId =
      destination || input.notes ? await this.stayRepository.findReferralId(stayId) : null;
    const caseKey = referralId === null ? null : await this.caseCipher.writer(referralId);
    let outcome;
    try {
      ({ outcome } = await this.egressRepository.exit({
        stayId,
        houseScope: houseScope(actor),
        exitedAt,
        now,
        reason: input.reason,
        destinationCiphertext: destination && caseKey ? caseKey.encrypt(destination) : null,
        notesCiphertext: input.notes && caseKey ? caseKey.encrypt(input.notes) : null,
        followUps: this.followUps.planAfterEgress(exitedAt),
        actor: { id: actor.id, role: actor.role, requestId: actor.requestId },
      }));
    } catch (error) {
      if (isPgError(error, PG_REFERRAL_NOT_ADMITTED)) {
        throw new DomainError('INVALID_STATE', 'The referral is not admitted');
      }
      throw error;
    }
    switch (outcome) {
      case 'exited':
        break;
      case 'stay_not_found':
        throw DomainError.notFound('Stay');
      case 'before_last_move':
        throw DomainError.validation(
          'exitedAt',
          'exitedAt must be after the admission and after the last transfer',
        );
      case 'not_active':
        throw new DomainError('INVALID_STATE', 'The stay has already ended');
    }
    this.followUps.enqueueSoon();
    return this.stays.present(stayId);
  }
}
