import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Occupancy history of closed days, kept once computed. A year of a national network is half a
 * million intervals to read per request; a day that ended two days ago no longer changes unless
 * someone corrects the ledger in the past. So each computed day is stored per scope (a house,
 * or the nil uuid for every house) and time zone, with the instant it ended, and any write to
 * the ledger or the beds that reaches back before one day ago forgets the stored days it
 * touches, in the same transaction.
 *
 * A correction and a fill never cross: a correction takes the shared side of an advisory lock
 * (OCCUPANCY_DAYS_LOCK) until it commits, a fill computes and stores under the exclusive side,
 * so a fill either sees the committed correction or is stored before the correction forgets it.
 * Writes at the present (admissions, egress, transfers as they happen) reach no stored day and
 * take no lock.
 */
const OCCUPANCY_DAYS_LOCK = 7_263_001;

/** Statement triggers on every kind of change to `table`, calling `<table>_forget_days()`. */
async function forgetDaysOnChange(queryRunner: QueryRunner, table: string): Promise<void> {
  for (const [event, transition] of [
    ['INSERT', 'NEW TABLE AS new_rows'],
    ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
    ['DELETE', 'OLD TABLE AS old_rows'],
  ]) {
    await queryRunner.query(`
      CREATE TRIGGER ${table}_forget_days_${event.toLowerCase()}
      AFTER ${event} ON ${table} REFERENCING ${transition}
      FOR EACH STATEMENT EXECUTE FUNCTION ${table}_forget_days()`);
  }
}

export class OccupancyDays1763766800000 implements MigrationInterface {
  name = 'OccupancyDays1763766800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE occupancy_days (
        scope uuid NOT NULL,
        time_zone text NOT NULL,
        day date NOT NULL,
        day_ends_at timestamptz NOT NULL,
        occupied integer NOT NULL CHECK (occupied >= 0),
        capacity integer NOT NULL CHECK (capacity >= 0),
        PRIMARY KEY (scope, time_zone, day)
      )`);
    await queryRunner.query(`CREATE INDEX occupancy_days_ends ON occupancy_days (day_ends_at)`);

    // Forgets the stored days of each house (and of the network) from the earliest instant a
    // write changed. Only stored days that ended more than a day ago can exist (fills keep to
    // two days), so a write at the present returns at once.
    await queryRunner.query(`
      CREATE FUNCTION occupancy_days_forget(house_ids uuid[], instants timestamptz[])
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        earliest timestamptz;
      BEGIN
        SELECT min(t) INTO earliest FROM unnest(instants) AS t;
        IF earliest IS NULL OR earliest > now() - interval '1 day' THEN
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock_shared(${OCCUPANCY_DAYS_LOCK});
        DELETE FROM occupancy_days d
        USING (SELECT h, min(t) AS t FROM unnest(house_ids, instants) AS c(h, t)
               WHERE t IS NOT NULL GROUP BY h) c
        WHERE d.scope = c.h AND d.day_ends_at >= c.t;
        DELETE FROM occupancy_days
        WHERE scope = '00000000-0000-0000-0000-000000000000' AND day_ends_at >= earliest;
      END $$`);

    // The ledger: an interval counts from its lower bound to its upper one, so a change moves
    // the figures from the earliest bound that changed (both of them when it changed house).
    await queryRunner.query(`
      CREATE FUNCTION stay_occupants_forget_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM occupancy_days_forget(array_agg(house_id), array_agg(lower(during))) FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM occupancy_days_forget(array_agg(house_id), array_agg(lower(during))) FROM old_rows;
        ELSE
          PERFORM occupancy_days_forget(array_agg(c.h), array_agg(c.t)) FROM (
            SELECT o.house_id AS h,
                   CASE WHEN o.house_id <> n.house_id THEN lower(o.during)
                        ELSE least(CASE WHEN lower(o.during) <> lower(n.during)
                                        THEN least(lower(o.during), lower(n.during)) END,
                                   CASE WHEN upper(o.during) IS DISTINCT FROM upper(n.during)
                                        THEN least(upper(o.during), upper(n.during)) END)
                   END AS t
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            UNION ALL
            SELECT n.house_id, lower(n.during)
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.house_id <> n.house_id) c;
        END IF;
        RETURN NULL;
      END $$`);
    await forgetDaysOnChange(queryRunner, 'stay_occupants');

    // Capacity: a bed counts from available_from; moving it or its start moves the figures.
    await queryRunner.query(`
      CREATE FUNCTION beds_forget_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM occupancy_days_forget(array_agg(house_id), array_agg(available_from)) FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM occupancy_days_forget(array_agg(house_id), array_agg(available_from)) FROM old_rows;
        ELSE
          PERFORM occupancy_days_forget(array_agg(c.h), array_agg(c.t)) FROM (
            SELECT o.house_id AS h, least(o.available_from, n.available_from) AS t
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.house_id <> n.house_id OR o.available_from <> n.available_from
            UNION ALL
            SELECT n.house_id, least(o.available_from, n.available_from)
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.house_id <> n.house_id) c;
        END IF;
        RETURN NULL;
      END $$`);
    await forgetDaysOnChange(queryRunner, 'beds');

    // Periods out of service take capacity away over their range, like an interval held.
    await queryRunner.query(`
      CREATE FUNCTION bed_service_periods_forget_days() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM occupancy_days_forget(array_agg(b.house_id), array_agg(lower(p.out_of_service)))
          FROM new_rows p JOIN beds b ON b.id = p.bed_id;
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM occupancy_days_forget(array_agg(b.house_id), array_agg(lower(p.out_of_service)))
          FROM old_rows p JOIN beds b ON b.id = p.bed_id;
        ELSE
          PERFORM occupancy_days_forget(array_agg(b.house_id), array_agg(c.t)) FROM (
            SELECT n.bed_id,
                   CASE WHEN o.bed_id <> n.bed_id
                          OR lower(o.out_of_service) <> lower(n.out_of_service)
                        THEN least(lower(o.out_of_service), lower(n.out_of_service))
                        WHEN upper(o.out_of_service) IS DISTINCT FROM upper(n.out_of_service)
                        THEN least(upper(o.out_of_service), upper(n.out_of_service))
                   END AS t
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            UNION ALL
            SELECT o.bed_id, lower(o.out_of_service)
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.bed_id <> n.bed_id) c
          JOIN beds b ON b.id = c.bed_id;
        END IF;
        RETURN NULL;
      END $$`);
    await forgetDaysOnChange(queryRunner, 'bed_service_periods');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['bed_service_periods', 'beds', 'stay_occupants']) {
      for (const event of ['insert', 'update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER ${table}_forget_days_${event} ON ${table}`);
      }
      await queryRunner.query(`DROP FUNCTION ${table}_forget_days()`);
    }
    await queryRunner.query(`DROP FUNCTION occupancy_days_forget(uuid[], timestamptz[])`);
    await queryRunner.query(`DROP TABLE occupancy_days`);
  }
}
