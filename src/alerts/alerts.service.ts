import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, houseScope, StaffActor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AlertsRepository } from './alerts.repository';
import { AlertKind, AlertStatus, AlertView } from './alerts.types';

export const DEFAULT_ALERTS_LIMIT = 200;

@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Coordinators and team members see their house only; naming another is a 404. */
  list(
    actor: Actor,
    query: { houseId?: string; status?: AlertStatus; kind?: AlertKind; limit?: number },
  ): Promise<AlertView[]> {
    const scope = houseScope(actor);
    if (scope !== null && query.houseId !== undefined && query.houseId !== scope) {
      throw DomainError.notFound('House');
    }
    return this.alerts.findMany({
      houseId: scope ?? query.houseId ?? null,
      status: query.status ?? null,
      kind: query.kind ?? null,
      limit: query.limit ?? DEFAULT_ALERTS_LIMIT,
    });
  }

  async acknowledge(actor: StaffActor, id: string): Promise<AlertView> {
    const alert = await this.alerts.findById(id);
    const scope = houseScope(actor);
    if (!alert || (scope !== null && alert.houseId !== scope)) {
      throw DomainError.notFound('Alert');
    }
    return this.dataSource.transaction(async (manager) => {
      const acknowledged = await this.alerts.acknowledge(manager, id, actor.id, this.clock.now());
      if (!acknowledged) {
        throw new DomainError('INVALID_STATE', 'The alert has already been acknowledged');
      }
      await this.audit.record(
        actor,
        'alert.acknowledged',
        'alert',
        id,
        { houseId: acknowledged.houseId, kind: acknowledged.kind },
        manager,
      );
      return acknowledged;
    });
  }
}
