import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The interdisciplinary team: a `team_member` works in one house (like a coordinator) and in
 * one discipline, which decides which case notes she may read. The database keeps the pairing
 * true: a house for house-bound roles only, a discipline for team members only.
 */
export class TeamMembers1764500400000 implements MigrationInterface {
  name = 'TeamMembers1764500400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_check`);
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN discipline text
          CHECK (discipline IN ('psychology', 'social_work', 'legal', 'nutrition', 'pedagogy', 'health')),
        ADD CONSTRAINT users_role_check
          CHECK (role IN ('admin', 'admission_officer', 'house_coordinator', 'team_member')),
        ADD CONSTRAINT users_house_bound_check
          CHECK ((role IN ('house_coordinator', 'team_member')) = (house_id IS NOT NULL)),
        ADD CONSTRAINT users_team_member_discipline_check
          CHECK ((role = 'team_member') = (discipline IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM users WHERE role = 'team_member'`);
    await queryRunner.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_team_member_discipline_check,
        DROP CONSTRAINT users_house_bound_check,
        DROP CONSTRAINT users_role_check,
        DROP COLUMN discipline,
        ADD CONSTRAINT users_role_check
          CHECK (role IN ('admin', 'admission_officer', 'house_coordinator')),
        ADD CONSTRAINT users_check CHECK ((role = 'house_coordinator') = (house_id IS NOT NULL))`);
  }
}
