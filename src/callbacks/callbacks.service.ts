import { Injectable } from '@nestjs/common';
import { ReferrersRepository } from '../auth/referrers.repository';
import { DomainError } from '../common/domain-error';
import { CallbacksRepository, DeliveryView } from './callbacks.repository';

const DEFAULT_LIMIT = 100;

@Injectable()
export class CallbacksService {
  constructor(
    private readonly repository: CallbacksRepository,
    private readonly referrers: ReferrersRepository,
  ) {}

  /** The latest attempts first. */
  async deliveries(referrerId: string, limit = DEFAULT_LIMIT): Promise<DeliveryView[]> {
    if (!(await this.referrers.exists(referrerId))) {
      throw DomainError.notFound('Referrer');
    }
    return this.repository.findDeliveries(referrerId, limit);
  }
}
