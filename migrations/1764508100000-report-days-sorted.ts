import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report's medians bisect the stored stay lengths and referral-to-admission hours by binary
 * search in each day's array (see `median` in ReportsRepository), which needs every array sorted;
 * days are stored sorted from now on, and this sorts the ones stored before.
 */
export class ReportDaysSorted1764508100000 implements MigrationInterface {
  name = 'ReportDaysSorted1764508100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE report_days
      SET stay_days = ARRAY(SELECT v FROM unnest(stay_days) v ORDER BY v),
          admission_hours = ARRAY(SELECT v FROM unnest(admission_hours) v ORDER BY v)`);
  }

  async down(): Promise<void> {
    // Sorted arrays are read as well as unsorted ones.
  }
}
