import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The accountability report's counts per closed day, kept once computed, as `occupancy_days`
 * keeps bed-nights (see that migration). A year of the national network is 200,000 admissions
 * and exits, 800,000 follow-ups and the referrals, extensions, transfers and attentions around
 * them: counted from the tables on each request it took seconds. Every count the report adds up
 * over days is stored per scope (a house, or the nil uuid for the network), time zone and day,
 * as one jsonb of counts keyed by indicator path, with the stay lengths and referral-to-admission
 * hours of the day as arrays (the report's medians need every value, not a sum).
 *
 * Corrections in the past: a write whose effect on these counts reaches back before one day ago
 * (a back-dated egress or admission, a late attention, a transfer or referral corrected by hand,
 * a follow-up moved) forgets the stored days from the earliest instant it changed, for every
 * scope, in the same transaction; the next report counts them again. Writes at the present
 * (admitting, exiting, transferring, completing a follow-up now) reach no stored day and forget
 * nothing. Each table's trigger names the instants its rows are counted at; the ledger's covers
 * the indicators attributed to the house a person was in (extensions, attentions) and the
 * people admitted. A correction and a fill never cross, under REPORT_DAYS_LOCK as under the
 * occupancy one.
 *
 * The network's people served are its census at the period's first instant plus the people
 * admitted in it: the census of each day's first instant is stored once counted in
 * `report_census`, and forgotten with the days.
 *
 * Also the indexes the report's live days and fills read through, by the instant each table is
 * counted at.
 */
const REPORT_DAYS_LOCK = 7_263_002;

/** Statement triggers on every kind of change to `table`, calling `<table>_forget_report_days()`. */
async function forgetOnChange(queryRunner: QueryRunner, table: string): Promise<void> {
  for (const [event, transition] of [
    ['INSERT', 'NEW TABLE AS new_rows'],
    ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
    ['DELETE', 'OLD TABLE AS old_rows'],
  ]) {
    await queryRunner.query(`
      CREATE TRIGGER ${table}_forget_report_days_${event.toLowerCase()}
      AFTER ${event} ON ${table} REFERENCING ${transition}
      FOR EACH STATEMENT EXECUTE FUNCTION ${table}_forget_report_days()`);
  }
}

/**
 * A trigger function: `inserted_or_deleted` is the instant of a row of `rows` (new_rows or
 * old_rows), `updated` a query over old_rows o JOIN new_rows n answering the instant of each
 * row changed in a way the report counts (null when it did not).
 */
function forgetFunction(table: string, row: string, updated: string, join = ''): string {
  const instants = (rows: string) => `SELECT ${row} AS t FROM ${rows} x ${join}`;
  return `
    CREATE FUNCTION ${table}_forget_report_days() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM report_days_forget(array_agg(t)) FROM (${instants('new_rows')}) c;
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM report_days_forget(array_agg(t)) FROM (${instants('old_rows')}) c;
      ELSE
        PERFORM report_days_forget(array_agg(t)) FROM (${updated}) c;
      END IF;
      RETURN NULL;
    END $$`;
}

const INDEXES: [string, string][] = [
  ['stays_admitted_at_idx', 'stays (admitted_at)'],
  ['stays_exited_at_idx', 'stays (exited_at) WHERE exited_at IS NOT NULL'],
  ['referrals_created_at_idx', 'referrals (created_at)'],
  ['referrals_closed_at_idx', `referrals (updated_at) WHERE status IN ('withdrawn', 'rejected')`],
  ['stay_extensions_extended_at_idx', 'stay_extensions (extended_at)'],
  ['stay_transfers_transferred_at_idx', 'stay_transfers (transferred_at)'],
  ['follow_ups_due_at_idx', 'follow_ups (due_at)'],
  ['follow_ups_completed_at_idx', 'follow_ups (completed_at) WHERE completed_at IS NOT NULL'],
];

export class ReportDays1764507000000 implements MigrationInterface {
  name = 'ReportDays1764507000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) {
      await queryRunner.query(`CREATE INDEX ${name} ON ${definition}`);
    }
    await queryRunner.query(`
      CREATE TABLE report_days (
        scope uuid NOT NULL,
        time_zone text NOT NULL,
        day date NOT NULL,
        day_ends_at timestamptz NOT NULL,
        counts jsonb NOT NULL,
        stay_days float8[] NOT NULL,
        admission_hours float8[] NOT NULL,
        PRIMARY KEY (scope, time_zone, day)
      )`);
    await queryRunner.query(`CREATE INDEX report_days_ends ON report_days (day_ends_at)`);
    await queryRunner.query(`
      CREATE TABLE report_census (
        time_zone text NOT NULL,
        day date NOT NULL,
        day_ends_at timestamptz NOT NULL,
        women integer NOT NULL,
        dependants integer NOT NULL,
        children integer NOT NULL,
        PRIMARY KEY (time_zone, day)
      )`);
    await queryRunner.query(`CREATE INDEX report_census_ends ON report_census (day_ends_at)`);

    // Only days that ended more than two days ago are stored, so a write at the present returns
    // at once; one further back forgets every scope's days from its earliest instant.
    await queryRunner.query(`
      CREATE FUNCTION report_days_forget(instants timestamptz[])
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        earliest timestamptz;
      BEGIN
        SELECT min(t) INTO earliest FROM unnest(instants) AS t;
        IF earliest IS NULL OR earliest > now() - interval '1 day' THEN
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock_shared(${REPORT_DAYS_LOCK});
        DELETE FROM report_days WHERE day_ends_at >= earliest;
        DELETE FROM report_census WHERE day_ends_at >= earliest;
      END $$`);

    // Stays: admissions (and the referral-to-admission hours) count at admitted_at in the house
    // admitted to, exits at exited_at in the house left. A transfer moves house_id with
    // last_moved_at and keeps the house admitted to (its first transfer's origin): only a house
    // changed by hand reaches back. (A house's referrals received are not stored, so that an
    // admission today does not reach back to the day its referral arrived.)
    await queryRunner.query(
      forgetFunction(
        'stays',
        'x.admitted_at',
        `SELECT least(
           CASE WHEN o.admitted_at <> n.admitted_at OR o.referral_id <> n.referral_id
                  OR (o.house_id <> n.house_id AND o.last_moved_at = n.last_moved_at)
                THEN least(o.admitted_at, n.admitted_at) END,
           CASE WHEN o.exited_at IS DISTINCT FROM n.exited_at
                  OR o.egress_reason IS DISTINCT FROM n.egress_reason
                  OR ((o.house_id <> n.house_id OR o.admitted_at <> n.admitted_at)
                      AND coalesce(o.exited_at, n.exited_at) IS NOT NULL)
                THEN least(o.exited_at, n.exited_at) END) AS t
         FROM old_rows o JOIN new_rows n ON n.id = o.id`,
      ),
    );
    await forgetOnChange(queryRunner, 'stays');

    // The ledger: who was admitted with a stay, and the house a person was in at an instant
    // (extensions, attentions). Closing an interval now (egress, transfer) reaches nothing.
    await queryRunner.query(
      forgetFunction(
        'stay_occupants',
        'lower(x.during)',
        `SELECT CASE WHEN o.house_id <> n.house_id OR o.person_id <> n.person_id
                       OR o.stay_id <> n.stay_id OR o.role <> n.role
                       OR lower(o.during) <> lower(n.during)
                     THEN least(lower(o.during), lower(n.during))
                     WHEN upper(o.during) IS DISTINCT FROM upper(n.during)
                     THEN least(upper(o.during), upper(n.during)) END AS t
         FROM old_rows o JOIN new_rows n ON n.id = o.id`,
      ),
    );
    await forgetOnChange(queryRunner, 'stay_occupants');

    await queryRunner.query(
      forgetFunction(
        'stay_extensions',
        'x.extended_at',
        `SELECT least(o.extended_at, n.extended_at) AS t
         FROM old_rows o JOIN new_rows n ON n.id = o.id
         WHERE o.extended_at <> n.extended_at OR o.stay_id <> n.stay_id`,
      ),
    );
    await forgetOnChange(queryRunner, 'stay_extensions');

    // Transfers count at transferred_at; removing or changing one may change the house its
    // stay was admitted to, so that reaches back to the admission.
    await queryRunner.query(
      forgetFunction(
        'stay_transfers',
        `CASE WHEN TG_OP = 'DELETE' THEN least(x.transferred_at, s.admitted_at)
              ELSE x.transferred_at END`,
        `SELECT least(o.transferred_at, n.transferred_at, s.admitted_at) AS t
         FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN stays s ON s.id = o.stay_id
         WHERE o.transferred_at <> n.transferred_at OR o.stay_id <> n.stay_id
            OR o.from_house_id <> n.from_house_id OR o.to_house_id <> n.to_house_id`,
        'JOIN stays s ON s.id = x.stay_id',
      ),
    );
    await forgetOnChange(queryRunner, 'stay_transfers');

    // Referrals count as received when created (and their creation dates the hours to
    // admission), as withdrawn or rejected (by code) at their last change once closed. Admitting
    // one changes neither.
    await queryRunner.query(
      forgetFunction(
        'referrals',
        `CASE WHEN x.status IN ('withdrawn', 'rejected') THEN least(x.created_at, x.updated_at)
              ELSE x.created_at END`,
        `SELECT least(
           CASE WHEN o.created_at <> n.created_at THEN least(o.created_at, n.created_at) END,
           CASE WHEN (o.status IN ('withdrawn', 'rejected') OR n.status IN ('withdrawn', 'rejected'))
                 AND (o.status <> n.status OR o.updated_at <> n.updated_at
                      OR o.status_reason_code IS DISTINCT FROM n.status_reason_code)
                THEN least(o.updated_at, n.updated_at) END) AS t
         FROM old_rows o JOIN new_rows n ON n.id = o.id`,
      ),
    );
    await forgetOnChange(queryRunner, 'referrals');

    // Follow-ups count as due at due_at (unless cancelled before), as completed (by outcome)
    // at completed_at, in their house. Completing or cancelling one now reaches nothing.
    await queryRunner.query(
      forgetFunction(
        'follow_ups',
        'least(x.due_at, x.completed_at)',
        `SELECT least(
           CASE WHEN o.due_at <> n.due_at OR o.house_id <> n.house_id
                  OR (o.cancelled_at IS NULL OR o.cancelled_at >= o.due_at)
                     <> (n.cancelled_at IS NULL OR n.cancelled_at >= n.due_at)
                THEN least(o.due_at, n.due_at) END,
           CASE WHEN o.completed_at IS DISTINCT FROM n.completed_at
                  OR o.outcome IS DISTINCT FROM n.outcome OR o.house_id <> n.house_id
                THEN least(o.completed_at, n.completed_at) END) AS t
         FROM old_rows o JOIN new_rows n ON n.id = o.id`,
      ),
    );
    await forgetOnChange(queryRunner, 'follow_ups');

    // Attentions count at occurred_at (a late one is written days after), by discipline and kind.
    await queryRunner.query(
      forgetFunction(
        'attentions',
        'x.occurred_at',
        `SELECT least(o.occurred_at, n.occurred_at) AS t
         FROM old_rows o JOIN new_rows n ON n.id = o.id
         WHERE o.occurred_at <> n.occurred_at OR o.stay_id <> n.stay_id
            OR o.person_id <> n.person_id OR o.discipline <> n.discipline OR o.kind <> n.kind`,
      ),
    );
    await forgetOnChange(queryRunner, 'attentions');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'attentions',
      'follow_ups',
      'referrals',
      'stay_transfers',
      'stay_extensions',
      'stay_occupants',
      'stays',
    ]) {
      for (const event of ['insert', 'update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER ${table}_forget_report_days_${event} ON ${table}`);
      }
      await queryRunner.query(`DROP FUNCTION ${table}_forget_report_days()`);
    }
    await queryRunner.query(`DROP FUNCTION report_days_forget(timestamptz[])`);
    await queryRunner.query(`DROP TABLE report_census`);
    await queryRunner.query(`DROP TABLE report_days`);
    for (const [name] of INDEXES) {
      await queryRunner.query(`DROP INDEX ${name}`);
    }
  }
}
