import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The observatory's analyst (rendición de cuentas): reads reports only, so she belongs to no
 * house and no discipline; the existing house and discipline checks already refuse both for
 * any role outside their lists.
 */
export class AnalystRole1764500700000 implements MigrationInterface {
  name = 'AnalystRole1764500700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_role_check,
        ADD CONSTRAINT users_role_check
          CHECK (role IN ('admin', 'admission_officer', 'house_coordinator', 'team_member', 'analyst'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM users WHERE role = 'analyst'`);
    await queryRunner.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_role_check,
        ADD CONSTRAINT users_role_check
          CHECK (role IN ('admin', 'admission_officer', 'house_coordinator', 'team_member'))`);
  }
}
