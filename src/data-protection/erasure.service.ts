import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { StaffActor } from '../common/actor';
import { CaseCipher } from '../common/case-cipher';
import { Clock } from '../common/clock';
import { CaseKeyMigration } from './case-key-migration';
import { CaseKeysRepository } from './case-keys.repository';

export type ErasureTrigger = 'admin' | 'retention';

/**
 * Erasure (API.md, "Data protection"): destroys a case's data key, so its personal data and
 * everything written about her people are unreadable for good, in this database and in every
 * backup of it. The key store is another database, so no single transaction spans both; the
 * order makes every failure safe:
 * 1. one transaction in the main database marks the case erased (reads show `erased: true` and
 *    nulls from then on), deletes what could find her without the key (name tokens, blind index,
 *    fingerprint, Idempotency-Keys), takes any value still under the global key over to the
 *    case's key (so no copy outlives it) and writes the audit event;
 * 2. the key store replaces the key with a tombstone (idempotent; a later write cannot make a
 *    new key for the case);
 * 3. the main database records that the key is gone.
 * If 2 or 3 fails, the case already reads as erased, and the daily job (or the next erase call)
 * retries them. Counts, dates and the bed ledger are not touched: reports do not change.
 * The reason typed by the admin is not stored: it could name the person being erased.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger(ErasureService.name);

  constructor(
    private readonly repository: CaseKeysRepository,
    private readonly migration: CaseKeyMigration,
    private readonly caseCipher: CaseCipher,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Erases the cases; answers the ids that exist (erased now or before). */
  async erase(
    actor: StaffActor | null,
    referralIds: readonly string[],
    trigger: ErasureTrigger,
  ): Promise<string[]> {
    const now = this.clock.now();
    const erased = await this.dataSource.transaction(async (manager) => {
      const marked = await this.repository.markErased(manager, referralIds, now);
      await this.migration.migrateCases(manager, marked.fresh);
      const events = marked.fresh.map((id) => ({
        action: 'referral.erased' as const,
        resourceType: 'referral',
        resourceId: id,
        details: { trigger },
      }));
      if (actor) {
        await this.audit.recordMany(actor, events, manager);
      } else {
        for (const event of events) {
          await this.audit.recordSystem(
            event.action,
            event.resourceType,
            event.resourceId,
            event.details,
            manager,
          );
        }
      }
      return marked.existing;
    });
    await this.destroyKeys(erased);
    return erased;
  }

  /** Destroys keys of erasures whose key store step did not complete; answers how many. */
  async finishPending(limit = 1000): Promise<number> {
    const pending = await this.repository.findErasuresPending(limit);
    await this.destroyKeys(pending);
    return pending.length;
  }

  private async destroyKeys(referralIds: readonly string[]): Promise<void> {
    if (referralIds.length === 0) {
      return;
    }
    try {
      await this.caseCipher.destroy(referralIds);
      await this.repository.markKeyDestroyed(referralIds, this.clock.now());
    } catch (error) {
      // Already unreadable through the service; the retention job retries the key store.
      this.logger.warn(
        `Erasure: ${referralIds.length} key(s) still to destroy (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
}
