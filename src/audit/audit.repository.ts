import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface AuditEvent {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorRole: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'occurredAt'>;

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    events: NewAuditEvent[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await manager.query(
      `INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id, request_id, details)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::jsonb[])`,
      [
        events.map((e) => e.actorId),
        events.map((e) => e.actorRole),
        events.map((e) => e.action),
        events.map((e) => e.resourceType),
        events.map((e) => e.resourceId),
        events.map((e) => e.requestId),
        events.map((e) => JSON.stringify(e.details)),
      ],
    );
  }

  async findByResource(resourceId: string, limit: number): Promise<AuditEvent[]> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT id::text, occurred_at, actor_id, actor_role, action, resource_type, resource_id, request_id, details
       FROM audit_events WHERE resource_id = $1 ORDER BY occurred_at, id LIMIT $2`,
      [resourceId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      action: r.action,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      requestId: r.request_id,
      details: r.details,
    }));
  }
}
