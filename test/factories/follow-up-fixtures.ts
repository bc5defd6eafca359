import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PiiCipher } from '../../src/common/pii-cipher';
import { FollowUpsService } from '../../src/follow-ups/follow-ups.service';
import { ReferralPersonalData } from '../../src/referrals/referral.types';
import { waitFor } from '../helpers/processes';
import { testConfig } from '../helpers/test-app';

export interface StayFixture {
  id: string;
  referralId: string;
  houseId: string;
  admittedAt: Date;
  termEndsAt: Date;
  exitedAt: Date | null;
}

export interface StayFixtureOptions {
  houseId: string;
  /** Keyed hash of the woman's document: equal values are the same woman. */
  documentIndex?: string | null;
  admittedAt?: Date;
  termEndsAt?: Date;
  /** Set for an exited stay; omitted for an active one. */
  exitedAt?: Date;
  /**
   * Her `follow_up_contact` grant, recorded by the seeded admin (true by default: egress
   * schedules follow-ups only with it); false records none.
   */
  followUpContact?: boolean;
}

const DAY = 24 * 60 * 60 * 1000;

/** A fictitious woman, encrypted with the tests' key, so that reads that decrypt work. */
const FIXTURE_PERSONAL_DATA: ReferralPersonalData = {
  woman: {
    fullName: 'Mujer De Prueba',
    documentType: 'NONE',
    documentNumber: null,
    birthDate: '1990-01-01',
    phone: null,
  },
  dependants: [],
  notes: null,
};
let fixtureCiphertext: string | undefined;
function fixturePersonalData(): string {
  fixtureCiphertext ??= new PiiCipher(testConfig()).encryptJson(FIXTURE_PERSONAL_DATA);
  return fixtureCiphertext;
}

/**
 * A referral of one woman and her stay, written with SQL as the stays feature would leave
 * them (the bed ledger closed at egress). Personal data is one fictitious woman.
 */
export async function createStay(
  dataSource: DataSource,
  options: StayFixtureOptions,
): Promise<StayFixture> {
  const exitedAt = options.exitedAt ?? null;
  const admittedAt = options.admittedAt ?? new Date((exitedAt ?? new Date()).getTime() - 30 * DAY);
  const termEndsAt = options.termEndsAt ?? new Date(admittedAt.getTime() + 120 * DAY);
  const maxEndsAt = new Date(Math.max(termEndsAt.getTime(), admittedAt.getTime() + 180 * DAY));
  return dataSource.transaction(async (manager) => {
    const [referral] = await manager.query<{ id: string }[]>(
      `INSERT INTO referrals (caller_key, external_reference, request_fingerprint,
         protection_order_number, protection_order_authority_type, protection_order_authority_name,
         protection_order_issued_at, risk_level, family_size, personal_data, document_index)
       VALUES ('staff', $1, 'fixture', 'PO-FIXTURE', 'comisaria_familia', 'Comisaría de prueba',
         '2000-01-01', 'severe', 1, $3, $2)
       RETURNING id`,
      [`FU-${randomUUID()}`, options.documentIndex ?? null, fixturePersonalData()],
    );
    const [person] = await manager.query<{ id: string }[]>(
      `INSERT INTO referral_people (referral_id, position, role) VALUES ($1, 0, 'woman') RETURNING id`,
      [referral.id],
    );
    const [stay] = await manager.query<{ id: string }[]>(
      `INSERT INTO stays (referral_id, house_id, status, admitted_at, term_ends_at, max_ends_at,
         last_moved_at, exited_at, egress_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $8) RETURNING id`,
      [
        referral.id,
        options.houseId,
        exitedAt ? 'exited' : 'active',
        admittedAt,
        termEndsAt,
        maxEndsAt,
        exitedAt,
        exitedAt ? 'voluntary' : null,
      ],
    );
    // A bed nobody has ever used, so fixtures never collide in the ledger.
    const [bed] = await manager.query<{ id: string }[]>(
      `SELECT b.id FROM beds b
       WHERE b.house_id = $1 AND NOT EXISTS (SELECT 1 FROM stay_occupants o WHERE o.bed_id = b.id)
       ORDER BY b.position, b.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [options.houseId],
    );
    await manager.query(
      `INSERT INTO stay_occupants (stay_id, person_id, role, house_id, bed_id, during)
       VALUES ($1, $2, 'woman', $3, $4, tstzrange($5, $6, '[)'))`,
      [stay.id, person.id, options.houseId, bed.id, admittedAt, exitedAt],
    );
    if (options.followUpContact ?? true) {
      await manager.query(
        `INSERT INTO consents (stay_id, purpose, version, granted, recorded_at, recorded_by)
         SELECT $1, 'follow_up_contact', 1, true, $2, id FROM users
         WHERE role = 'admin' ORDER BY created_at LIMIT 1`,
        [stay.id, admittedAt],
      );
    }
    // Only a received referral may get a stay (a database rule); then it moves on, as the
    // admission and egress use cases move it.
    await manager.query(
      `UPDATE referrals SET status = $2, admitted_at = $3, exited_at = $4 WHERE id = $1`,
      [referral.id, exitedAt ? 'exited' : 'admitted', admittedAt, exitedAt],
    );
    return {
      id: stay.id,
      referralId: referral.id,
      houseId: options.houseId,
      admittedAt,
      termEndsAt,
      exitedAt,
    };
  });
}

/** Exactly what egress does: schedule in the use case's transaction, enqueue after commit. */
export async function scheduleEgress(
  dataSource: DataSource,
  followUps: FollowUpsService,
  stay: StayFixture,
  { enqueue = true } = {},
): Promise<void> {
  if (!stay.exitedAt) {
    throw new Error('scheduleEgress needs an exited stay');
  }
  const exitedAt = stay.exitedAt;
  await dataSource.transaction((manager) =>
    followUps.scheduleAfterEgress(manager, { ...stay, exitedAt }),
  );
  if (enqueue) {
    followUps.enqueueSoon();
  }
}

export interface FollowUpRow {
  id: string;
  sequence: number;
  status: string;
  dueAt: Date;
  becameDueAt: Date | null;
  reminders: number;
}

export async function followUpsOfStay(
  dataSource: DataSource,
  stayId: string,
): Promise<FollowUpRow[]> {
  return dataSource.query<FollowUpRow[]>(
    `SELECT f.id, f.sequence, f.status, f.due_at AS "dueAt", f.became_due_at AS "becameDueAt",
            (SELECT count(*)::int FROM reminders r WHERE r.follow_up_id = f.id) AS reminders
     FROM follow_ups f WHERE f.stay_id = $1 ORDER BY f.sequence`,
    [stayId],
  );
}

/** Waits (polling) until every follow-up of the stays is due, and answers them all. */
export async function whenFollowUpsDue(
  dataSource: DataSource,
  stayIds: string[],
): Promise<FollowUpRow[]> {
  return waitFor(
    async () => {
      const rows = (await Promise.all(stayIds.map((id) => followUpsOfStay(dataSource, id)))).flat();
      return rows.every((f) => f.status === 'due') ? rows : undefined;
    },
    { timeoutMs: 30000, what: 'every follow-up due' },
  );
}

export interface ExitedStay {
  stay: StayFixture;
  /** Its follow-ups' ids, the first due first. */
  followUpIds: string[];
}

/**
 * A stay of the house that exited at `exitedAt` (a day ago unless told), with its follow-ups
 * scheduled as egress schedules them (and enqueued, unless `enqueue` is false).
 */
export async function exitedWithFollowUps(
  dataSource: DataSource,
  followUps: FollowUpsService,
  houseId: string,
  {
    exitedAt = new Date(Date.now() - DAY),
    enqueue = true,
  }: { exitedAt?: Date; enqueue?: boolean } = {},
): Promise<ExitedStay> {
  const stay = await createStay(dataSource, { houseId, exitedAt });
  await scheduleEgress(dataSource, followUps, stay, { enqueue });
  const followUpIds = (await followUpsOfStay(dataSource, stay.id)).map((f) => f.id);
  return { stay, followUpIds };
}
