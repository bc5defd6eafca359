import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { PiiCipher } from '../common/pii-cipher';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { ReferralsRepository } from '../referrals/referrals.repository';
import { EgressDto, StayDto } from './dto/stay.dto';
import { EgressRepository } from './egress.repository';
import { StayRepository } from './stay.repository';
import { StayService } from './stay.service';

/**
 * Egreso: the stay ends, its beds are free at once, the referral is exited and the follow-ups
 * are scheduled, in one transaction.
 */
@Injectable()
export class EgressService {
  constructor(
    private readonly egressRepository: EgressRepository,
    private readonly ledger: StayRepository,
    private readonly referrals: ReferralsRepository,
    private readonly stays: StayService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly followUps: FollowUpsService,
  ) {}

  async egress(actor: StaffActor, stayId: string, input: EgressDto): Promise<StayDto> {
    const now = this.clock.now();
    const exitedAt = input.exitedAt ? new Date(input.exitedAt) : now;
    if (exitedAt > now) {
      throw DomainError.validation('exitedAt', 'exitedAt must not be in the future');
    }
    await this.dataSource.transaction(async (manager) => {
      const stay = await this.stays.lockVisibleStay(manager, actor, stayId);
      if (exitedAt <= stay.lastMovedAt) {
        throw DomainError.validation(
          'exitedAt',
          'exitedAt must be after the admission and after the last transfer',
        );
      }
      const exited = await this.egressRepository.markExited(manager, stay.id, {
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
      const freed = await this.ledger.closeOccupancies(manager, stay.id, exitedAt);
      if (!(await this.referrals.markExited(manager, stay.referralId, exitedAt, now))) {
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
    return this.stays.present(stayId);
  }
}
