import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, houseScope } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { CaseStaysRepository } from './case-stays.repository';
import { CaseStay } from './casework.types';

/**
 * Who may see which case: staff bound to a house see the stays of that house (active, and
 * exited from it for follow-up); everything of another house answers 404, as a missing stay.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly stays: CaseStaysRepository) {}

  async visibleStay(actor: Actor, stayId: string): Promise<CaseStay> {
    return this.visible(actor, await this.stays.find(stayId));
  }

  async lockVisibleStay(actor: Actor, manager: EntityManager, stayId: string): Promise<CaseStay> {
    return this.visible(actor, await this.stays.lock(manager, stayId));
  }

  /** A resource of a stay (goal, legal process) found by its own id: the same rule. */
  assertVisibleHouse(actor: Actor, houseId: string | undefined, what: string): void {
    const scope = houseScope(actor);
    if (houseId === undefined || (scope !== null && houseId !== scope)) {
      throw DomainError.notFound(what);
    }
  }

  private visible(actor: Actor, stay: CaseStay | null): CaseStay {
    const scope = houseScope(actor);
    if (!stay || (scope !== null && stay.houseId !== scope)) {
      throw DomainError.notFound('Stay');
    }
    return stay;
  }
}
