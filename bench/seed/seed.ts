import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { defaultSeedOptions, NationalSeedOptions, seedNational } from './national';
import { verifyLedger } from './verify';

/**
 * `npm run bench:seed [-- --houses N --stays N --years N --database NAME --replace]`: builds the
 * national-scale database, checks the ledger's invariants, and writes the settings the
 * benchmark needs to start the service on it (PII key, first admin) to
 * bench/.national/<database>.env, git-ignored.
 */
const ROOT = join(__dirname, '..', '..', '..');

function parseArgs(argv: string[]): NationalSeedOptions {
  const options = defaultSeedOptions();
  const value = (i: number): string => {
    const v = argv[i + 1];
    if (v === undefined) {
      throw new Error(`${argv[i]} needs a value`);
    }
    return v;
  };
  const positive = (i: number): number => {
    const n = Number(value(i));
    if (!Number.isInteger(n) || n <= 0) {
      throw new Error(`${argv[i]} must be a positive integer`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--houses':
        options.houses = positive(i++);
        break;
      case '--stays':
        options.stays = positive(i++);
        break;
      case '--years':
        options.years = positive(i++);
        break;
      case '--referrers':
        options.referrers = positive(i++);
        break;
      case '--database':
        options.database = value(i++);
        break;
      case '--replace':
        options.replace = true;
        break;
      case '--with-triggers':
        options.withTriggers = true;
        break;
      default:
        throw new Error(`Unknown option ${argv[i]}`);
    }
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.database)) {
    throw new Error('--database must be a plain lower-case identifier');
  }
  return options;
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseArgs(process.argv.slice(2));
  process.stderr.write(
    `[seed] ${options.houses} houses, ${options.stays} stays over ${options.years} years into "${options.database}"\n`,
  );
  const summary = await seedNational(options);
  process.stderr.write(
    `[seed] loaded in ${summary.seconds} s; checking the ledger's invariants…\n`,
  );
  const checks = await verifyLedger(
    summary.databaseUrl,
    options.followUpSchedule.length,
    options.now,
  );
  const broken = Object.entries(checks).filter(([, count]) => count !== 0);
  const client = new Client({ connectionString: summary.databaseUrl });
  await client.connect();
  const size = (
    await client.query<{ size: string }>(
      'SELECT pg_size_pretty(pg_database_size(current_database())) AS size',
    )
  ).rows[0].size;
  await client.end();

  const dir = join(ROOT, 'bench', '.national');
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, `${options.database}.env`);
  writeFileSync(
    keyFile,
    [
      `BENCH_DATABASE=${options.database}`,
      `PII_ENCRYPTION_KEY=${options.piiEncryptionKey}`,
      `ADMIN_USERNAME=${options.adminUsername}`,
      `ADMIN_PASSWORD=${options.adminPassword}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  process.stdout.write(
    JSON.stringify(
      {
        ...summary,
        triggers: options.withTriggers
          ? 'on during the load'
          : 'off during the load, checked after',
        databaseSize: size,
        secondsWithChecks: Math.round((Date.now() - started) / 100) / 10,
        invariants: checks,
        keyFile,
      },
      null,
      2,
    ) + '\n',
  );
  if (broken.length > 0) {
    throw new Error(`Invariants broken: ${broken.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[seed] failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
