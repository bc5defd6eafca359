import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report counts provisional stays live (`provisionalAdmissions`, `ordersOverdue`): partial
 * indexes over the few provisional stays, so a year of the national network reads those rows
 * and not a year of every admission.
 */
export class ProvisionalReportIndexes1764507100000 implements MigrationInterface {
  name = 'ProvisionalReportIndexes1764507100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS stays_provisional_admitted_idx ON stays (admitted_at)
       WHERE order_due_by IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS stays_order_due_by_idx ON stays (order_due_by)
       WHERE order_due_by IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS stays_order_due_by_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS stays_provisional_admitted_idx`);
  }
}
