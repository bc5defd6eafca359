import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A family's care plan (plan de atención): goals per area. The description is what a person
 * wrote about the family, so it is stored encrypted by the application.
 */
export class CarePlans1764500400200 implements MigrationInterface {
  name = 'CarePlans1764500400200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE care_plan_goals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        area text NOT NULL CHECK (area IN ('safety', 'legal', 'psychosocial', 'health',
          'education', 'employment', 'housing', 'family')),
        description text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'achieved', 'dropped')),
        target_date date,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid NOT NULL REFERENCES users (id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (updated_at >= created_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX care_plan_goals_stay_idx ON care_plan_goals (stay_id, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE care_plan_goals`);
  }
}
