import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report stores the counts of today up to two hours ago (see ReportsRepository.dayTotals),
 * not only days that ended two days ago: counting the last two days live cost about a second
 * on the national network's year. So a write whose effect reaches back more than an hour before
 * its transaction started forgets the stored days from there, not only one reaching back a day.
 * The hour between what a write forgets and what a fill stores keeps them apart: a write that
 * forgot nothing started less than an hour before the instant it wrote, so it committed before
 * any fill that counts that instant (fills count only up to two hours ago), unless it ran for an
 * hour or the clocks of the service and the database differ by that much.
 */
const REPORT_DAYS_LOCK = 7_263_002;

function forget(within: string): string {
  return `
    CREATE OR REPLACE FUNCTION report_days_forget(instants timestamptz[])
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      earliest timestamptz;
    BEGIN
      SELECT min(t) INTO earliest FROM unnest(instants) AS t;
      IF earliest IS NULL OR earliest > now() - interval '${within}' THEN
        RETURN;
      END IF;
      PERFORM pg_advisory_xact_lock_shared(${REPORT_DAYS_LOCK});
      DELETE FROM report_days WHERE day_ends_at >= earliest;
      DELETE FROM report_census WHERE day_ends_at >= earliest;
    END $$`;
}

export class ReportDaysRecent1764508000000 implements MigrationInterface {
  name = 'ReportDaysRecent1764508000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(forget('1 hour'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The days stored under the shorter margin would not be forgotten by the longer one.
    await queryRunner.query(`DELETE FROM report_days`);
    await queryRunner.query(`DELETE FROM report_census`);
    await queryRunner.query(forget('1 day'));
  }
}
