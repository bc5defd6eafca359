import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, actorRole } from '../common/actor';
import { AuditEvent, AuditRepository, NewAuditEvent } from './audit.repository';
import { AuditAction } from './audit.types';

/** Ids, codes and counts only: an audit row must never hold a name, document or note. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  /**
   * Records who did what to which resource. Pass the use case's transaction manager so that the
   * record commits (or rolls back) with the change it describes.
   */
  async record(
    actor: Actor,
    action: AuditAction,
    resourceType: string,
    resourceId: string | null,
    details: AuditDetails = {},
    manager?: EntityManager,
  ): Promise<void> {
    await this.recordMany(actor, [{ action, resourceType, resourceId, details }], manager);
  }

  /** Several events of one actor in one INSERT (a list read records one event per case). */
  async recordMany(
    actor: Actor,
    events: {
      action: AuditAction;
      resourceType: string;
      resourceId: string | null;
      details?: AuditDetails;
    }[],
    manager?: EntityManager,
  ): Promise<void> {
    await this.repository.insert(
      events.map((event) => ({
        ...this.eventOf(actor, event.action, event.resourceType, event.details),
        resourceId: event.resourceId,
      })),
      manager,
    );
  }

  /**
   * The event `record` would write, for a resource that does not exist yet: its repository
   * writes it in the statement that creates the resource, with the new id, so that the change
   * and its record still commit together.
   */
  eventOf(
    actor: Actor,
    action: AuditAction,
    resourceType: string,
    details: AuditDetails = {},
  ): Omit<NewAuditEvent, 'resourceId'> {
    return {
      actorId: actor.id,
      actorRole: actorRole(actor),
      action,
      resourceType,
      requestId: actor.requestId,
      details,
    };
  }

  /** Records a change the system made on its own (a queue job), with no person behind it. */
  async recordSystem(
    action: AuditAction,
    resourceType: string,
    resourceId: string | null,
    details: AuditDetails = {},
    manager?: EntityManager,
  ): Promise<void> {
    await this.repository.insert(
      [
        {
          actorId: null,
          actorRole: 'system',
          action,
          resourceType,
          resourceId,
          requestId: null,
          details,
        },
      ],
      manager,
    );
  }

  findByResource(resourceId: string): Promise<AuditEvent[]> {
    return this.repository.findByResource(resourceId, 1000);
  }
}
