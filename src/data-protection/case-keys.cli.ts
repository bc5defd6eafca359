// Every instant is computed in UTC or in TZ_SERVICE explicitly, never in the host's zone.
process.env.TZ = 'UTC';

import { DataSource } from 'typeorm';
import { CaseCipher } from '../common/case-cipher';
import { KeyStore, prepareKeyStore } from '../common/key-store';
import { PiiCipher } from '../common/pii-cipher';
import { loadConfig } from '../config/load-config';
import { databaseOptions } from '../database/database-options';
import { CaseKeyMigration } from './case-key-migration';
import { CaseKeysRepository } from './case-keys.repository';
import { KeyRotation } from './key-rotation';

/**
 * `npm run case-keys -- migrate`: takes the data of DATABASE_URL over to per-case keys (the job
 * the service also runs after start-up), printing progress and the throughput; it applies
 * pending migrations first. `npm run case-keys -- rotate`: wraps every data key again under
 * PII_ENCRYPTION_KEY (the old one in PII_ENCRYPTION_OLD_KEYS). Same settings as the service.
 */
async function main(command: string | undefined): Promise<void> {
  const { config } = loadConfig();
  const dataSource = new DataSource(databaseOptions(config.database));
  await dataSource.initialize();
  const keyStore = new KeyStore(config);
  const pii = new PiiCipher(config);
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  try {
    await prepareKeyStore(config);
    if (command === 'migrate') {
      await dataSource.runMigrations({ transaction: 'each' });
      const migration = new CaseKeyMigration(
        new CaseKeysRepository(dataSource),
        dataSource,
        new CaseCipher(pii, keyStore),
      );
      process.once('SIGINT', () => migration.stop());
      const done = await migration.run(log);
      const seconds = Math.max(done.elapsedMs, 1) / 1000;
      log(
        `Throughput: ${(done.referrals / seconds).toFixed(1)} referrals/s, ` +
          `${(done.values / seconds).toFixed(1)} values/s over ${seconds.toFixed(1)} s`,
      );
    } else if (command === 'rotate') {
      const rewrapped = await new KeyRotation(keyStore, pii).run(log);
      log(`Key rotation: done, ${rewrapped} data key(s) wrapped by the current key`);
    } else {
      throw new Error('Usage: npm run case-keys -- migrate | rotate');
    }
  } finally {
    await keyStore.onModuleDestroy();
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
