import { Client } from 'pg';

/**
 * The ledger's invariants, each as a count of the rows that break it (all must be 0). The
 * EXCLUDE constraints already forbid overlaps; they are counted again here, independently, so
 * that a future loader that switches triggers or constraints off cannot pass unnoticed.
 */
export const CHECKS: Record<string, string> = {
  bedHeldTwice: `
    SELECT count(*)::int FROM (
      SELECT during && lag(during) OVER (PARTITION BY bed_id ORDER BY lower(during)) AS clash
      FROM stay_occupants) x WHERE clash`,
  personInTwoBeds: `
    SELECT count(*)::int FROM (
      SELECT during && lag(during) OVER (PARTITION BY person_id ORDER BY lower(during)) AS clash
      FROM stay_occupants) x WHERE clash`,
  occupantInAnotherHouse: `
    SELECT count(*)::int FROM stay_occupants o JOIN stays s ON s.id = o.stay_id
    WHERE o.house_id <> s.house_id
      AND NOT EXISTS (SELECT 1 FROM stay_transfers t
                      WHERE t.stay_id = s.id AND t.from_house_id = o.house_id
                        AND upper(o.during) = t.transferred_at)`,
  bedOutsideItsHouse: `
    SELECT count(*)::int FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
    WHERE b.house_id <> o.house_id`,
  occupantOutsideStayTime: `
    SELECT count(*)::int FROM stay_occupants o JOIN stays s ON s.id = o.stay_id
    WHERE lower(o.during) < s.admitted_at
       OR (s.status = 'exited' AND (upper_inf(o.during) OR upper(o.during) > s.exited_at))`,
  activeStayNotHousingFamily: `
    SELECT count(*)::int FROM stays s JOIN referrals r ON r.id = s.referral_id
    WHERE s.status = 'active'
      AND (SELECT count(*) FROM stay_occupants o
           WHERE o.stay_id = s.id AND upper_inf(o.during)) <> r.family_size`,
  personNeverPlaced: `
    SELECT count(*)::int FROM stays s JOIN referral_people p ON p.referral_id = s.referral_id
    LEFT JOIN stay_occupants o ON o.stay_id = s.id AND o.person_id = p.id
    WHERE o.id IS NULL`,
  occupantNotOfFamily: `
    SELECT count(*)::int FROM stay_occupants o JOIN stays s ON s.id = o.stay_id
    LEFT JOIN referral_people p ON p.id = o.person_id
    WHERE p.referral_id IS DISTINCT FROM s.referral_id OR p.role <> o.role`,
  stayBeforeProtectionOrder: `
    SELECT count(*)::int FROM stays s JOIN referrals r ON r.id = s.referral_id
    WHERE s.admitted_at < (r.protection_order_issued_at::timestamp AT TIME ZONE 'Pacific/Kiritimati')`,
  referralStatusMismatch: `
    SELECT count(*)::int FROM stays s JOIN referrals r ON r.id = s.referral_id
    WHERE r.status <> CASE WHEN s.status = 'active' THEN 'admitted' ELSE 'exited' END
       OR r.admitted_at IS DISTINCT FROM s.admitted_at
       OR r.exited_at IS DISTINCT FROM s.exited_at`,
  placedReferralWithoutOneStay: `
    SELECT count(*)::int FROM referrals r
    LEFT JOIN (SELECT referral_id, count(*) AS stays FROM stays GROUP BY referral_id) s
      ON s.referral_id = r.id
    WHERE r.status IN ('admitted', 'exited') AND coalesce(s.stays, 0) <> 1`,
  unplacedReferralWithStay: `
    SELECT count(*)::int FROM referrals r JOIN stays s ON s.referral_id = r.id
    WHERE r.status IN ('received', 'rejected', 'withdrawn')`,
  transferWithoutMove: `
    SELECT count(*)::int FROM stay_transfers t JOIN stays s ON s.id = t.stay_id
    WHERE s.house_id <> t.to_house_id OR s.last_moved_at <> t.transferred_at`,
  egressWithoutFollowUps: `
    SELECT count(*)::int FROM stays s
    LEFT JOIN (SELECT stay_id, count(*) AS n FROM follow_ups GROUP BY stay_id) f
      ON f.stay_id = s.id
    WHERE s.status = 'exited' AND coalesce(f.n, 0) <> $1::int`,
  followUpOfActiveStay: `
    SELECT count(*)::int FROM follow_ups f JOIN stays s ON s.id = f.stay_id
    WHERE s.status = 'active' OR f.house_id <> s.house_id`,
  pastFollowUpStillScheduled: `
    SELECT count(*)::int FROM follow_ups WHERE status = 'scheduled' AND due_at < $1::timestamptz`,
  roomCountsOff: `
    SELECT count(*)::int FROM rooms r
    WHERE r.beds_in_service <> (SELECT count(*) FROM beds b WHERE b.room_id = r.id AND b.in_service)
       OR r.beds_held <> (SELECT count(*) FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
                          WHERE b.room_id = r.id AND upper_inf(o.during))`,
};

export async function verifyLedger(
  databaseUrl: string,
  followUpsPerEgress: number,
  now: Date,
): Promise<Record<string, number>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`SET work_mem = '256MB'`);
    const results: Record<string, number> = {};
    for (const [name, sql] of await foreignKeyChecks(client)) {
      const { rows } = await client.query<{ count: number }>(sql);
      results[name] = rows[0].count;
    }
    for (const [name, sql] of Object.entries(CHECKS)) {
      const parameters = !sql.includes('$1')
        ? []
        : name === 'egressWithoutFollowUps'
          ? [followUpsPerEgress]
          : [now];
      const { rows } = await client.query<{ count: number }>(sql, parameters);
      results[name] = rows[0].count;
    }
    return results;
  } finally {
    await client.end();
  }
}

/**
 * One orphan count per foreign key of the schema, read from the catalogue: a load with the
 * row triggers off (which is how Postgres enforces foreign keys) is checked for all of them.
 */
async function foreignKeyChecks(client: Client): Promise<[string, string][]> {
  const { rows } = await client.query<{
    name: string;
    child: string;
    parent: string;
    child_columns: string[];
    parent_columns: string[];
  }>(
    `SELECT c.conname AS name, c.conrelid::regclass::text AS child,
            c.confrelid::regclass::text AS parent,
            array(SELECT quote_ident(a.attname) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                  ORDER BY k.i) AS child_columns,
            array(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                  ORDER BY k.i) AS parent_columns
     FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
     WHERE c.contype = 'f' AND ns.nspname = 'public'
     ORDER BY c.conname`,
  );
  return rows.map((fk) => [
    `foreignKey:${fk.name}`,
    `SELECT count(*)::int FROM ${fk.child} c
     WHERE ${fk.child_columns.map((col) => `c.${col} IS NOT NULL`).join(' AND ')}
       AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p
                       WHERE ${fk.child_columns.map((col, i) => `p.${fk.parent_columns[i]} = c.${col}`).join(' AND ')})`,
  ]);
}
