import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CaseCipher } from '../common/case-cipher';
import { CASE_COLUMNS, CaseKeysRepository, HOUSE_COLUMNS } from './case-keys.repository';

const BATCH = 500;
const PROGRESS_EVERY_MS = 10_000;
const BEFORE_EVERY_UUID = '00000000-0000-0000-0000-000000000000';

export interface MigrationProgress {
  referrals: number;
  values: number;
  elapsedMs: number;
}

/**
 * Takes the data written before per-case keys over to them: each referral gets its key, and
 * every value of it still under the global key (or, for staff's reasons, in plain text) is
 * re-encrypted under it; bed reasons under their house's key. Run by the service after start-up
 * (like the name-token backfill, and for the same reasons: only the service holds the keys, and
 * a migration must not hold the deployment for hours on the national data), and by
 * `npm run case-keys:migrate` against any database (the same class), which prints the
 * throughput. Batches of 500 referrals, each one transaction: a stop loses at most one batch;
 * the `case_keyed` flag and the `v2.` prefix make every rerun skip what is done (idempotent), and
 * instances running at once share the batches (SKIP LOCKED). Until it finishes, old values are
 * still read through the global key (v1 ciphertexts stay readable).
 */
@Injectable()
export class CaseKeyMigration implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CaseKeyMigration.name);
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    private readonly repository: CaseKeysRepository,
    private readonly dataSource: DataSource,
    private readonly caseCipher: CaseCipher,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run((line) => this.logger.log(line)).catch((error: unknown) => {
      this.logger.warn(
        `Per-case keys: stopped (${error instanceof Error ? error.message : String(error)}); the next start goes on`,
      );
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  stop(): void {
    this.stopping = true;
  }

  /** Migrates everything pending; `log` gets the progress lines. */
  async run(log: (line: string) => void = () => undefined): Promise<MigrationProgress> {
    const started = Date.now();
    await this.dataSource.transaction((manager) => this.migrateHouses(manager));
    const pending = await this.repository.countPending();
    const progress: MigrationProgress = { referrals: 0, values: 0, elapsedMs: 0 };
    if (pending === 0) {
      return progress;
    }
    log(`Per-case keys: taking ${pending} earlier referral(s) over to their own keys`);
    let afterId = BEFORE_EVERY_UUID;
    let lastProgress = Date.now();
    while (!this.stopping) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const ids = await this.repository.lockPending(manager, afterId, BATCH);
        const values = await this.migrateCases(manager, ids);
        await this.repository.markKeyed(manager, ids);
        return { lastId: ids.at(-1), referrals: ids.length, values };
      });
      if (batch.lastId === undefined) {
        break;
      }
      afterId = batch.lastId;
      progress.referrals += batch.referrals;
      progress.values += batch.values;
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        log(
          `Per-case keys: ${progress.referrals} of ${pending} referrals done${rate(progress, started)}`,
        );
      }
    }
    progress.elapsedMs = Date.now() - started;
    log(
      `Per-case keys: ${progress.referrals} referral(s), ${progress.values} value(s) re-encrypted${rate(progress, started)}` +
        (this.stopping ? '; stopped early, the next start goes on' : ''),
    );
    return progress;
  }

  /**
   * Re-encrypts every value of these cases not yet under their key, in the caller's transaction
   * (erasure runs it too, so that no copy under the global key outlives the case's key).
   * Answers how many values it wrote.
   */
  async migrateCases(manager: EntityManager, referralIds: readonly string[]): Promise<number> {
    if (referralIds.length === 0) {
      return 0;
    }
    const writers = await this.caseCipher.writers(referralIds);
    let written = 0;
    for (const column of CASE_COLUMNS) {
      const rows = await this.repository.findUnkeyed(manager, column, referralIds);
      const values = rows.flatMap((row) => {
        const writer = writers.get(row.ownerId);
        return writer ? [{ pk: row.pk, value: this.caseCipher.rekey(writer, row.value) }] : [];
      });
      await this.repository.write(manager, column, values);
      written += values.length;
    }
    return written;
  }

  /** Bed reasons: a few rows per house, all at once. */
  private async migrateHouses(manager: EntityManager): Promise<void> {
    const houseIds = await this.repository.houseIds(manager);
    const writers = await this.caseCipher.writers(houseIds);
    for (const column of HOUSE_COLUMNS) {
      const rows = await this.repository.findUnkeyed(manager, column, houseIds);
      await this.repository.write(
        manager,
        column,
        rows.map((row) => ({
          pk: row.pk,
          value: this.caseCipher.rekey(writers.get(row.ownerId)!, row.value),
        })),
      );
    }
  }
}

function rate(progress: MigrationProgress, started: number): string {
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0
    ? ` (${Math.round(progress.referrals / seconds)} referrals/s, ${Math.round(progress.values / seconds)} values/s)`
    : '';
}
