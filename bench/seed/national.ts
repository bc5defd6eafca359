import { randomBytes, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/password';
import { PiiCipher } from '../../src/common/pii-cipher';
import { Config, parseConfig } from '../../src/config/config';
import { databaseOptions } from '../../src/database/database-options';
import { prepareDatabase } from '../../src/database/prepare-database';
import { bedLabel, planRooms } from '../../src/database/seed-plan';
import { postgresAdmin } from '../../test/fixtures/postgres-admin';
import { DAY_MS, PlanHouse, planStays, PlannedStay } from './plan';
import { ProgressBar } from './progress';

export interface NationalSeedOptions {
  /** Server URL of any database; the seed creates `database` next to it. */
  pgUrl: string;
  database: string;
  houses: number;
  stays: number;
  years: number;
  referrers: number;
  placesPerHouse: number;
  /** Drop `database` first when it exists; without it an existing database is refused. */
  replace: boolean;
  /**
   * Keep every row trigger on while loading (the database checks each row itself), at about
   * three times the load time; otherwise they are skipped and checked afterwards.
   */
  withTriggers: boolean;
  piiEncryptionKey: string;
  adminUsername: string;
  adminPassword: string;
  timeZone: string;
  followUpSchedule: string[];
  /** The seed of the generator: the same options give the same timeline. */
  seed: number;
  /** Houses per loading transaction, and how many transactions run at once. */
  housesPerBatch: number;
  concurrency: number;
  now: Date;
  quiet?: boolean;
}

export interface NationalSeedSummary {
  databaseUrl: string;
  houses: number;
  beds: number;
  stays: number;
  activeStays: number;
  occupants: number;
  transfers: number;
  extensions: number;
  followUps: number;
  referrals: number;
  seconds: number;
}

const STAFF_OFFICERS = 20;

export function defaultSeedOptions(): NationalSeedOptions {
  return {
    pgUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    database: 'refugio_national',
    houses: 1000,
    stays: 1_000_000,
    years: 5,
    referrers: 200,
    placesPerHouse: 42,
    replace: false,
    withTriggers: false,
    piiEncryptionKey: process.env.PII_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
    adminUsername: 'bench.admin',
    adminPassword: randomBytes(18).toString('base64url'),
    timeZone: 'America/Bogota',
    followUpSchedule: ['P15D', 'P1M', 'P3M', 'P6M'],
    seed: 20_221_215,
    housesPerBatch: 20,
    concurrency: 2,
    now: new Date(),
  };
}

function say(options: NationalSeedOptions, message: string): void {
  if (!options.quiet) {
    process.stderr.write(`[seed] ${message}\n`);
  }
}

/**
 * Builds a national-scale Refugio database through its own schema: the real migrations first,
 * then houses, referrers and five years of stays loaded set-based. Constraints stay on; row
 * triggers (foreign keys, the stay-integrity rules, the rooms' counters) are skipped for the load
 * unless `withTriggers`, and verifyLedger then checks every foreign key and rule with SQL.
 */
export async function seedNational(options: NationalSeedOptions): Promise<NationalSeedSummary> {
  const started = Date.now();
  const postgres = postgresAdmin(options.pgUrl);
  const exists = await postgres.withClient(async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    return Boolean(rowCount);
  });
  if (exists && !options.replace) {
    throw new Error(`Database "${options.database}" exists; pass --replace to rebuild it`);
  }
  const databaseUrl = await postgres.createDatabase(options.database, { replace: true });
  // Its key store (KEYSTORE_URL's default, `<name>_keys`): production settings create none.
  await postgres.createDatabase(`${options.database}_keys`, { replace: true });

  const config: Config = parseConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    PII_ENCRYPTION_KEY: options.piiEncryptionKey,
    ADMIN_USERNAME: options.adminUsername,
    ADMIN_PASSWORD: options.adminPassword,
    SEED_HOUSES: '0',
    TZ_SERVICE: options.timeZone,
    FOLLOW_UP_SCHEDULE: options.followUpSchedule.join(','),
  });
  const dataSource = new DataSource(databaseOptions(config.database));
  await dataSource.initialize();
  try {
    await prepareDatabase(dataSource, config, {
      log: (m) => say(options, m),
      warn: (m) => say(options, m),
    });
  } finally {
    await dataSource.destroy();
  }

  const pool = new Pool({ connectionString: databaseUrl, max: options.concurrency + 1 });
  try {
    const houses = await createHouses(pool, options);
    const referrerIds = await createReferrers(pool, options.referrers);
    const officerIds = await createStaff(pool, houses);
    const cipher = new PiiCipher(config);
    const personalData = personalDataPool(cipher);
    const destinations = [
      'Red de apoyo familiar',
      'Vivienda propia',
      'Otra casa de acogida',
      'Sin dato',
    ];

    const roomsPerHouse = houses[0]?.rooms.length ?? 0;
    const totalRooms = houses.length * roomsPerHouse;
    const base = totalRooms === 0 ? 0 : Math.floor(options.stays / totalRooms);
    const extra = totalRooms === 0 ? 0 : options.stays % totalRooms;
    const nowMs = options.now.getTime();
    const startMs = nowMs - options.years * 365.25 * DAY_MS;

    const batches: { index: number; first: number; houses: PlanHouse[] }[] = [];
    for (
      let first = 0, index = 0;
      first < houses.length;
      first += options.housesPerBatch, index++
    ) {
      batches.push({ index, first, houses: houses.slice(first, first + options.housesPerBatch) });
    }
    const bar = options.quiet ? null : new ProgressBar('[seed] stays', options.stays);
    const totals = { stays: 0, transfers: 0, extensions: 0 };
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const stays = planStays(
          batch.houses,
          (h, r) => base + ((batch.first + h) * roomsPerHouse + r < extra ? 1 : 0),
          startMs,
          nowMs,
          options.seed + batch.index,
        );
        const client = await pool.connect();
        try {
          await loadBatch(client, options, batch.index, stays, {
            referrerIds,
            officerIds,
            personalData,
            destinations,
          });
        } finally {
          client.release();
        }
        totals.stays += stays.length;
        totals.transfers += stays.filter((s) => s.movedAt !== null).length;
        totals.extensions += stays.filter((s) => s.extended).length;
        bar?.tick(stays.length);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    bar?.tick(options.stays - totals.stays);
    if (totals.stays !== options.stays) {
      // The plan can place slightly fewer than asked (997,443 of 1,000,000 by default): say so.
      say(options, `loaded ${totals.stays} of the ${options.stays} stays planned`);
    }

    if (!options.withTriggers) {
      // The rooms' free-bed counters are kept by statement triggers, off during the load.
      say(options, 'counting each room’s beds in service and held…');
      await pool.query('SELECT rooms_recount()');
    }
    say(options, 'VACUUM ANALYZE (visibility map and planner statistics)…');
    await pool.query('VACUUM ANALYZE');

    const [counts] = (
      await pool.query<{
        beds: number;
        active: number;
        occupants: number;
        follow_ups: number;
        referrals: number;
      }>(
        `SELECT (SELECT count(*)::int FROM beds) AS beds,
                (SELECT count(*)::int FROM stays WHERE status = 'active') AS active,
                (SELECT count(*)::int FROM stay_occupants) AS occupants,
                (SELECT count(*)::int FROM follow_ups) AS follow_ups,
                (SELECT count(*)::int FROM referrals) AS referrals`,
      )
    ).rows;
    return {
      databaseUrl,
      houses: houses.length,
      beds: counts.beds,
      stays: totals.stays,
      activeStays: counts.active,
      occupants: counts.occupants,
      transfers: totals.transfers,
      extensions: totals.extensions,
      followUps: counts.follow_ups,
      referrals: counts.referrals,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await pool.end();
  }
}

/** CR-1…CR-n, each with the rooms and beds of `planRooms`, like the service's own seed. */
async function createHouses(pool: Pool, options: NationalSeedOptions): Promise<PlanHouse[]> {
  const rooms = planRooms(options.placesPerHouse);
  const bedRoom: number[] = [];
  const bedPosition: number[] = [];
  const bedLabels: string[] = [];
  rooms.forEach((room, i) => {
    for (let b = 0; b < room.beds; b++) {
      bedRoom.push(i + 1);
      bedPosition.push(b + 1);
      bedLabels.push(bedLabel(i + 1, b));
    }
  });
  await pool.query(
    `INSERT INTO houses (code, name)
     SELECT 'CR-' || n, 'Casa Refugio ' || n FROM generate_series(1, $1::int) AS n`,
    [options.houses],
  );
  await pool.query(
    `INSERT INTO rooms (house_id, name, position, wheelchair_accessible)
     SELECT h.id, r.name, r.position, r.accessible
     FROM houses h, unnest($1::text[], $2::int[], $3::boolean[]) AS r(name, position, accessible)`,
    [
      rooms.map((r) => r.name),
      rooms.map((_, i) => i + 1),
      rooms.map((r) => r.wheelchairAccessible),
    ],
  );
  await pool.query(
    `INSERT INTO beds (house_id, room_id, label, position, available_from)
     SELECT r.house_id, r.id, b.label, b.position, '-infinity'
     FROM rooms r JOIN unnest($1::int[], $2::int[], $3::text[]) AS b(room, position, label)
       ON b.room = r.position`,
    [bedRoom, bedPosition, bedLabels],
  );
  const { rows } = await pool.query<{ house_id: string; room_id: string; beds: number }>(
    `SELECT h.id AS house_id, r.id AS room_id,
            (SELECT count(*)::int FROM beds b WHERE b.room_id = r.id) AS beds
     FROM houses h JOIN rooms r ON r.house_id = h.id
     ORDER BY substr(h.code, 4)::int, r.position`,
  );
  const houses: PlanHouse[] = [];
  for (const row of rows) {
    if (houses.length === 0 || houses[houses.length - 1].id !== row.house_id) {
      houses.push({ id: row.house_id, rooms: [] });
    }
    houses[houses.length - 1].rooms.push({ id: row.room_id, beds: row.beds });
  }
  return houses;
}

async function createReferrers(pool: Pool, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO referrers (name, authority_type, api_key_hash)
     SELECT CASE WHEN n % 4 = 0 THEN 'Juzgado ' || n || ' Penal con Función de Control de Garantías'
                 ELSE 'Comisaría de Familia ' || n END,
            CASE WHEN n % 4 = 0 THEN 'juez_control_garantias' ELSE 'comisaria_familia' END,
            -- Keys nobody holds: the benchmark creates its own referrers through the API.
            sha256(convert_to('seed-referrer-' || n || '-' || gen_random_uuid(), 'UTF8'))
     FROM generate_series(1, $1::int) AS n
     RETURNING id`,
    [count],
  );
  return rows.map((r) => r.id);
}

/** Officers who admitted, extended, moved and followed up; a coordinator per house. */
async function createStaff(pool: Pool, houses: PlanHouse[]): Promise<string[]> {
  // Accounts nobody can log into: the password is thrown away.
  const hash = await hashPassword(randomBytes(24).toString('base64url'));
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (username, password_hash, role)
     SELECT 'seed.officer.' || n, $1, 'admission_officer' FROM generate_series(1, $2::int) AS n
     RETURNING id`,
    [hash, STAFF_OFFICERS],
  );
  await pool.query(
    `INSERT INTO users (username, password_hash, role, house_id)
     SELECT 'seed.coordinator.' || lower(h.code), $1, 'house_coordinator', h.id
     FROM houses h WHERE h.id = ANY($2::uuid[])`,
    [hash, houses.map((h) => h.id)],
  );
  return rows.map((r) => r.id);
}

/** A few synthetic families per size, encrypted once and shared: never a real name. */
function personalDataPool(cipher: PiiCipher): string[][] {
  const pool: string[][] = [[]];
  for (let size = 1; size <= 12; size++) {
    pool.push(
      Array.from({ length: 8 }, (_, k) =>
        cipher.encryptJson({
          woman: {
            fullName: `Persona Sintética ${size}-${k}`,
            documentType: 'NONE',
            documentNumber: null,
            birthDate: null,
            phone: null,
          },
          dependants: Array.from({ length: size - 1 }, (_, d) => ({
            fullName: `Dependiente Sintético ${size}-${k}-${d + 1}`,
            birthDate: null,
            relationship: 'child',
          })),
          notes: null,
        }),
      ),
    );
  }
  return pool;
}

interface BatchContext {
  referrerIds: string[];
  officerIds: string[];
  personalData: string[][];
  destinations: string[];
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/**
 * One transaction per group of houses, in the order the triggers demand: referrals `received`,
 * their people, the stays, the occupants in the house of admission, then the moves (the stay
 * changes house before its occupants there are written), and only then the referrals' final
 * status and the follow-ups of each egress.
 */
async function loadBatch(
  client: PoolClient,
  options: NationalSeedOptions,
  batchIndex: number,
  stays: PlannedStay[],
  ctx: BatchContext,
): Promise<void> {
  const n = stays.length;
  const stayIds = stays.map(() => randomUUID());
  const referralIds = stays.map(() => randomUUID());
  const pick = <T>(list: T[], i: number): T => list[(i * 7919 + batchIndex) % list.length];
  // One in five referrals made by staff, the rest by a referrer.
  const referrer = stays.map((_, i) => (i % 5 === 0 ? null : pick(ctx.referrerIds, i)));
  const officer = stays.map((_, i) => pick(ctx.officerIds, i));
  const personalData = stays.map((s, i) => pick(ctx.personalData[s.familySize], i));
  const tz = options.timeZone;

  await client.query('BEGIN');
  try {
    // Losing the last batches in a crash is harmless here; waiting for each flush is not.
    await client.query('SET LOCAL synchronous_commit = off');
    // These statements are planned once and run once: compiling them costs more than it saves.
    await client.query('SET LOCAL jit = off');
    if (!options.withTriggers) {
      // Skips the row triggers (the foreign keys' and the stay-integrity ones) for this load
      // only; verifyLedger then checks every foreign key and trigger rule with set-based SQL.
      await client.query(`SET LOCAL session_replication_role = replica`);
    }
    // The referrals are marked as having their name tokens (none are written: nobody searches
    // the synthetic names), or the service's backfill would spend its first minutes on them.
    await client.query(
      `INSERT INTO referrals (id, referrer_id, created_by, caller_key, external_reference,
         request_fingerprint, protection_order_number, protection_order_authority_type,
         protection_order_authority_name, protection_order_issued_at, risk_level, family_size,
         personal_data, status, name_tokens_pending, created_at, updated_at)
       SELECT s.id, s.referrer_id, CASE WHEN s.referrer_id IS NULL THEN s.officer_id END,
              CASE WHEN s.referrer_id IS NULL THEN 'staff' ELSE 'referrer:' || s.referrer_id END,
              'SEED-' || $1::int || '-' || s.n, 'seed', 'OP-' || $1::int || '-' || s.n,
              coalesce(rf.authority_type, 'comisaria_familia'),
              coalesce(rf.name, 'Comisaría de Familia de turno'),
              ((to_timestamp(s.admitted) AT TIME ZONE $2) - (1 + s.n % 10) * interval '1 day')::date,
              (ARRAY['moderate', 'severe', 'extreme'])[1 + s.n % 3], s.size, s.personal_data,
              'received', false, to_timestamp(s.admitted) - (s.n % 72) * interval '1 hour',
              to_timestamp(s.admitted)
       FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::float8[], $7::int[], $8::text[])
            WITH ORDINALITY AS s(id, referrer_id, officer_id, admitted, size, personal_data, n)
       LEFT JOIN referrers rf ON rf.id = s.referrer_id`,
      [
        batchIndex,
        tz,
        referralIds,
        referrer,
        officer,
        stays.map((s) => seconds(s.admittedAt)),
        stays.map((s) => s.familySize),
        personalData,
      ],
    );
    await client.query(
      `INSERT INTO referral_people (referral_id, position, role, relationship)
       SELECT s.id, p, CASE WHEN p = 0 THEN 'woman' ELSE 'dependant' END,
              CASE WHEN p = 0 THEN NULL WHEN p = 5 THEN 'other' ELSE 'child' END
       FROM unnest($1::uuid[], $2::int[]) AS s(id, size), generate_series(0, s.size - 1) AS p`,
      [referralIds, stays.map((s) => s.familySize)],
    );
    await client.query(
      `INSERT INTO stays (id, referral_id, house_id, status, admitted_at, term_ends_at,
         max_ends_at, last_moved_at, exited_at, egress_reason, egress_destination, admitted_by,
         exited_by, created_at, updated_at)
       SELECT s.id, s.referral_id, s.house_id,
              CASE WHEN s.exited IS NULL THEN 'active' ELSE 'exited' END,
              t.admitted_at, CASE WHEN s.extended THEN t.max_ends_at ELSE t.term_ends_at END,
              t.max_ends_at, t.admitted_at, to_timestamp(s.exited), s.reason,
              CASE WHEN s.exited IS NOT NULL THEN ($9::text[])[1 + s.n % 4] END,
              s.officer_id, CASE WHEN s.exited IS NOT NULL THEN s.officer_id END,
              t.admitted_at, coalesce(to_timestamp(s.exited), t.admitted_at)
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::float8[], $5::float8[], $6::text[],
                   $7::boolean[], $8::uuid[])
            WITH ORDINALITY AS s(id, referral_id, house_id, admitted, exited, reason, extended,
                                 officer_id, n)
       CROSS JOIN LATERAL (
         SELECT to_timestamp(s.admitted) AS admitted_at,
                ((to_timestamp(s.admitted) AT TIME ZONE $10) + $11::int * interval '1 month')
                  AT TIME ZONE $10 AS term_ends_at,
                ((to_timestamp(s.admitted) AT TIME ZONE $10) + $12::int * interval '1 month')
                  AT TIME ZONE $10 AS max_ends_at
       ) AS t`,
      [
        stayIds,
        referralIds,
        stays.map((s) => s.houseId),
        stays.map((s) => seconds(s.admittedAt)),
        stays.map((s) => seconds(s.exitedAt)),
        stays.map((s) => s.egressReason),
        stays.map((s) => s.extended),
        officer,
        ctx.destinations,
        tz,
        4,
        6,
      ],
    );
    // The family's beds in the house of admission: positions 1…size of its room.
    await client.query(
      `INSERT INTO stay_occupants (stay_id, person_id, role, house_id, bed_id, during)
       SELECT s.id, p.id, p.role, s.house_id, b.id,
              tstzrange(to_timestamp(s.admitted), to_timestamp(s.until), '[)')
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::float8[], $6::float8[])
            AS s(id, referral_id, house_id, room_id, admitted, until)
       JOIN referral_people p ON p.referral_id = s.referral_id
       JOIN beds b ON b.room_id = s.room_id AND b.position = p.position + 1`,
      [
        stayIds,
        referralIds,
        stays.map((s) => s.houseId),
        stays.map((s) => s.roomId),
        stays.map((s) => seconds(s.admittedAt)),
        stays.map((s) => seconds(s.movedAt ?? s.exitedAt)),
      ],
    );

    const moved = stays.flatMap((s, i) => (s.movedAt === null ? [] : [i]));
    if (moved.length > 0) {
      const movedParams = [
        moved.map((i) => stayIds[i]),
        moved.map((i) => referralIds[i]),
        moved.map((i) => stays[i].houseId),
        moved.map((i) => stays[i].toHouseId),
        moved.map((i) => stays[i].toRoomId),
        moved.map((i) => seconds(stays[i].movedAt)),
        moved.map((i) => seconds(stays[i].exitedAt)),
        moved.map((i) => officer[i]),
      ];
      await client.query(
        `WITH m AS (
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[],
                                $6::float8[], $7::float8[], $8::uuid[])
             AS m(id, referral_id, from_house, to_house, to_room, moved, exited, officer_id)
         ), moved AS (
           UPDATE stays s SET house_id = m.to_house, last_moved_at = to_timestamp(m.moved)
           FROM m WHERE s.id = m.id
         )
         INSERT INTO stay_transfers (stay_id, from_house_id, to_house_id, reason, transferred_by,
                                     transferred_at)
         SELECT m.id, m.from_house, m.to_house, 'Traslado por seguridad', m.officer_id,
                to_timestamp(m.moved)
         FROM m`,
        movedParams,
      );
      await client.query(
        `INSERT INTO stay_occupants (stay_id, person_id, role, house_id, bed_id, during)
         SELECT m.id, p.id, p.role, m.to_house, b.id,
                tstzrange(to_timestamp(m.moved), to_timestamp(m.exited), '[)')
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::float8[],
                     $7::float8[], $8::uuid[])
              AS m(id, referral_id, from_house, to_house, to_room, moved, exited, officer_id)
         JOIN referral_people p ON p.referral_id = m.referral_id
         JOIN beds b ON b.room_id = m.to_room AND b.position = p.position + 1`,
        movedParams,
      );
    }

    await client.query(
      `INSERT INTO stay_extensions (stay_id, previous_term_ends_at, term_ends_at, reason,
                                    extended_by, extended_at)
       SELECT s.id, t.term, s.term_ends_at, 'Proceso judicial en curso', s.admitted_by,
              s.admitted_at + 0.9 * (least(coalesce(s.exited_at, $2::timestamptz), t.term) - s.admitted_at)
       FROM stays s
       CROSS JOIN LATERAL (
         SELECT ((s.admitted_at AT TIME ZONE $3) + interval '4 months') AT TIME ZONE $3 AS term
       ) AS t
       WHERE s.id = ANY($1::uuid[]) AND s.term_ends_at > t.term`,
      [stayIds, options.now, tz],
    );

    await client.query(
      `UPDATE referrals r
       SET status = CASE WHEN s.status = 'active' THEN 'admitted' ELSE 'exited' END,
           admitted_at = s.admitted_at, exited_at = s.exited_at,
           updated_at = coalesce(s.exited_at, s.admitted_at)
       FROM stays s WHERE s.id = ANY($1::uuid[]) AND r.id = s.referral_id`,
      [stayIds],
    );

    // Past follow-ups mostly done, some left due; those ahead still scheduled for the relay.
    await client.query(
      `INSERT INTO follow_ups (stay_id, house_id, referral_id, sequence, offset_after_egress,
         due_at, status, became_due_at, outcome, completed_at, completed_by, created_at, updated_at)
       SELECT f.stay_id, f.house_id, f.referral_id, f.sequence, f.offset_text, f.due_at,
              f.status, CASE WHEN f.status <> 'scheduled' THEN f.due_at END,
              CASE WHEN f.status = 'completed'
                   THEN (ARRAY['contacted', 'not_reachable', 'declined'])[1 + f.h % 3] END,
              CASE WHEN f.status = 'completed'
                   THEN least($2::timestamptz, f.due_at + (f.h % 96) * interval '1 hour') END,
              CASE WHEN f.status = 'completed' THEN f.officer_id END,
              f.exited_at, coalesce(CASE WHEN f.status <> 'scheduled' THEN f.due_at END, f.exited_at)
       FROM (
         SELECT s.id AS stay_id, s.house_id, s.referral_id, o.sequence::int AS sequence,
                o.offset_text, s.exited_at, s.exited_by AS officer_id, d.due_at,
                abs(hashtext(s.id::text || o.sequence)) % 100 AS h,
                CASE WHEN d.due_at >= $2::timestamptz THEN 'scheduled'
                     WHEN abs(hashtext(s.id::text || o.sequence)) % 100 < 85 THEN 'completed'
                     ELSE 'due' END AS status
         FROM stays s
         CROSS JOIN unnest($4::text[]) WITH ORDINALITY AS o(offset_text, sequence)
         CROSS JOIN LATERAL (
           SELECT ((s.exited_at AT TIME ZONE $3) + o.offset_text::interval) AT TIME ZONE $3 AS due_at
         ) AS d
         WHERE s.id = ANY($1::uuid[]) AND s.status = 'exited'
       ) AS f`,
      [stayIds, options.now, tz, options.followUpSchedule],
    );

    // Term alerts of the stays still open: past ones sent, the rest scheduled.
    await client.query(
      `INSERT INTO term_alerts (stay_id, kind, term_ends_at, due_at, status, sent_at)
       SELECT s.id, k.kind, s.term_ends_at, k.due_at,
              CASE WHEN k.due_at < $2::timestamptz THEN 'sent' ELSE 'scheduled' END,
              CASE WHEN k.due_at < $2::timestamptz THEN k.due_at END
       FROM stays s
       CROSS JOIN LATERAL (VALUES
         ('term_ending_soon', ((s.term_ends_at AT TIME ZONE $3) - interval '14 days') AT TIME ZONE $3),
         ('term_ends', s.term_ends_at),
         ('term_overdue', ((s.term_ends_at AT TIME ZONE $3) + interval '1 day') AT TIME ZONE $3)
       ) AS k(kind, due_at)
       WHERE s.id = ANY($1::uuid[]) AND s.status = 'active'`,
      [stayIds, options.now, tz],
    );

    // Referrals that never became a stay: some rejected or withdrawn, a few still waiting.
    const unplaced = Math.round(n * 0.05);
    const waiting = Math.max(1, Math.round(n / 1000));
    const span = options.years * 365.25 * 86_400;
    await client.query(
      `WITH r AS (
         INSERT INTO referrals (caller_key, created_by, external_reference, request_fingerprint,
           protection_order_number, protection_order_authority_type,
           protection_order_authority_name, protection_order_issued_at, risk_level, family_size,
           personal_data, status, status_reason, name_tokens_pending, created_at, updated_at)
         SELECT 'staff', $6::uuid, 'SEED-U-' || $1::int || '-' || n, 'seed',
                'OP-U-' || $1::int || '-' || n, 'comisaria_familia',
                'Comisaría de Familia de turno', (c.created_at AT TIME ZONE $7)::date - 2,
                (ARRAY['moderate', 'severe', 'extreme'])[1 + n % 3], 1 + n % 3,
                ($5::text[])[1 + n % 3],
                CASE WHEN n > $2::int THEN 'received' WHEN n % 2 = 0 THEN 'rejected' ELSE 'withdrawn' END,
                CASE WHEN n <= $2::int THEN 'Sin cupo adecuado o desistimiento' END, false,
                c.created_at, c.created_at
         FROM generate_series(1, $2::int + $3::int) AS n
         CROSS JOIN LATERAL (
           SELECT CASE WHEN n > $2::int
                       THEN $4::timestamptz - (n % 48) * interval '1 hour'
                       ELSE $4::timestamptz - ((n * 7919) % $8::int) * interval '1 second' END
                    AS created_at
         ) AS c
         RETURNING id, family_size
       )
       INSERT INTO referral_people (referral_id, position, role, relationship)
       SELECT r.id, p, CASE WHEN p = 0 THEN 'woman' ELSE 'dependant' END,
              CASE WHEN p = 0 THEN NULL ELSE 'child' END
       FROM r, generate_series(0, r.family_size - 1) AS p`,
      [
        batchIndex,
        unplaced,
        waiting,
        options.now,
        [1, 2, 3].map((size) => ctx.personalData[size][batchIndex % 8]),
        ctx.officerIds[0],
        tz,
        Math.floor(span),
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
