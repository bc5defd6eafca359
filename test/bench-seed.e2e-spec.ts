import { Client } from 'pg';
import { defaultSeedOptions, NationalSeedOptions, seedNational } from '../bench/seed/national';
import { verifyLedger } from '../bench/seed/verify';
import { dropDatabase, pgAdminUrl, randomSuffix } from './helpers/test-env';

/**
 * The national-scale generator in miniature, so that it cannot rot while the schema moves on:
 * the real migrations, then a year of stays in three houses, loaded once with every trigger on
 * (the database accepts each row) and once the fast way (triggers off, checked after).
 */
describe('bench:seed (national-scale generator)', () => {
  const now = new Date('2026-11-20T15:00:00Z');
  const databases: string[] = [];

  function tinyOptions(withTriggers: boolean): NationalSeedOptions {
    const database = `refugio_test_${process.env.REFUGIO_TEST_RUN_ID}_seed_${randomSuffix()}`;
    databases.push(database);
    return {
      ...defaultSeedOptions(),
      pgUrl: pgAdminUrl(),
      database,
      houses: 3,
      stays: 200,
      years: 1,
      referrers: 3,
      housesPerBatch: 2,
      concurrency: 1,
      withTriggers,
      now,
      quiet: true,
    };
  }

  afterAll(async () => {
    for (const database of databases) {
      await dropDatabase(database);
    }
  });

  async function query<T>(url: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('loads a consistent ledger with every trigger and foreign key checking each row', async () => {
    const options = tinyOptions(true);
    const summary = await seedNational(options);

    expect(summary.houses).toBe(3);
    expect(summary.beds).toBe(126);
    expect(summary.stays).toBeGreaterThan(180);
    expect(summary.stays).toBeLessThanOrEqual(200);
    expect(summary.occupants).toBeGreaterThan(summary.stays);
    expect(summary.activeStays).toBeGreaterThan(0);
    const checks = await verifyLedger(summary.databaseUrl, 4, now);
    expect(Object.keys(checks).length).toBeGreaterThan(40);
    expect(Object.entries(checks).filter(([, count]) => count !== 0)).toEqual([]);

    const [counts] = await query<{
      codes: string[];
      exited: number;
      follow_ups: number;
      waiting: number;
      other_rooms: number;
    }>(
      summary.databaseUrl,
      `SELECT (SELECT array_agg(code ORDER BY code) FROM houses) AS codes,
              (SELECT count(*)::int FROM stays WHERE status = 'exited') AS exited,
              (SELECT count(*)::int FROM follow_ups) AS follow_ups,
              (SELECT count(*)::int FROM referrals WHERE status = 'received') AS waiting,
              -- A family always shares one room.
              (SELECT count(*)::int FROM (
                 SELECT o.stay_id FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
                 GROUP BY o.stay_id, o.house_id HAVING count(DISTINCT b.room_id) > 1) x) AS other_rooms`,
    );
    expect(counts.codes).toEqual(['CR-1', 'CR-2', 'CR-3']);
    expect(counts.follow_ups).toBe(counts.exited * 4);
    expect(counts.waiting).toBeGreaterThan(0);
    expect(counts.other_rooms).toBe(0);
  });

  it('loads with triggers off, and the checks catch what the triggers would have refused', async () => {
    const options = tinyOptions(false);
    const summary = await seedNational(options);
    const clean = await verifyLedger(summary.databaseUrl, 4, now);
    expect(Object.entries(clean).filter(([, count]) => count !== 0)).toEqual([]);

    const client = new Client({ connectionString: summary.databaseUrl });
    await client.connect();
    try {
      await client.query(`SET session_replication_role = replica`);
      await client.query(
        `UPDATE referrals SET status = 'received'
         WHERE id = (SELECT referral_id FROM stays WHERE status = 'exited' LIMIT 1)`,
      );
      await client.query(
        `INSERT INTO stay_extensions (stay_id, previous_term_ends_at, term_ends_at, reason,
                                      extended_by, extended_at)
         SELECT gen_random_uuid(), now(), now(), 'x', id, now() FROM users LIMIT 1`,
      );
    } finally {
      await client.end();
    }
    const broken = await verifyLedger(summary.databaseUrl, 4, now);
    expect(broken.referralStatusMismatch).toBe(1);
    expect(broken['foreignKey:stay_extensions_stay_id_fkey']).toBe(1);
  });
});
