import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseCipher } from '../common/case-cipher';
import { PiiCipher } from '../common/pii-cipher';
import { nameTokensOf } from './name-words';
import { ReferralPersonalData } from './referral.types';
import { ReferralsRepository } from './referrals.repository';

const BATCH = 500;
const PROGRESS_EVERY_MS = 10_000;
const BEFORE_EVERY_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Writes the name tokens of referrals stored before search existed (or by anything other than
 * the intake, such as the national seed). The migration cannot: only the service holds the key.
 * It runs in the background once the service has started, in batches that each commit, so a
 * stop loses at most one batch and the next start goes on from what is still pending; instances
 * starting together share the batches (SKIP LOCKED). Until it finishes, a search may miss those
 * older referrals, which the log says.
 */
@Injectable()
export class NameTokenBackfill implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NameTokenBackfill.name);
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly caseCipher: CaseCipher,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run().then(
      () => undefined,
      (error: unknown) => {
        this.logger.warn(
          `Name search tokens: stopped (${error instanceof Error ? error.message : String(error)}); the next start goes on`,
        );
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Tokenises every pending referral; resolves with how many it wrote. */
  async run(): Promise<number> {
    const pending = await this.referrals.countPendingNameTokens();
    if (pending === 0) {
      return 0;
    }
    this.logger.log(`Name search tokens: writing them for ${pending} earlier referral(s)`);
    let afterId = BEFORE_EVERY_UUID;
    let written = 0;
    let unreadable = 0;
    let lastProgress = Date.now();
    while (!this.stopping) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const rows = await this.referrals.lockPendingNameTokens(manager, afterId, BATCH);
        const cases = await this.caseCipher.reader(rows.map((r) => r.id));
        const done: string[] = [];
        const tokens: { referralId: string; personId: string; token: Buffer }[] = [];
        for (const row of rows) {
          let data: ReferralPersonalData | null;
          try {
            data = cases.decryptJson<ReferralPersonalData>(row.personalData);
          } catch {
            // A key no longer configured: left pending (and passed by the cursor) so that a
            // start with that key can still index it.
            unreadable += 1;
            continue;
          }
          done.push(row.id);
          if (data === null) {
            continue; // Erased: nothing to index.
          }
          for (const { position, token } of nameTokensOf(this.cipher, data)) {
            const personId = row.personIds[position];
            if (personId !== undefined) {
              tokens.push({ referralId: row.id, personId, token });
            }
          }
        }
        if (done.length > 0) {
          await this.referrals.writeNameTokens(manager, done, tokens);
        }
        return { lastId: rows.at(-1)?.id, written: done.length };
      });
      if (batch.lastId === undefined) {
        break;
      }
      afterId = batch.lastId;
      written += batch.written;
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        this.logger.log(`Name search tokens: ${written} of ${pending} referrals done`);
      }
    }
    this.logger.log(
      `Name search tokens: ${written} referral(s) indexed` +
        (unreadable > 0 ? `, ${unreadable} unreadable with the configured keys` : '') +
        (this.stopping ? '; stopped early, the next start goes on' : ''),
    );
    return written;
  }
}
