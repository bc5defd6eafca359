import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a follow-up found: her safety and housing (codes, counted by the reports) and the
 * progress of her legal and psychosocial processes (text, encrypted by the application).
 */
export class FollowUpSituations1764500400600 implements MigrationInterface {
  name = 'FollowUpSituations1764500400600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE follow_up_situations (
        follow_up_id uuid PRIMARY KEY REFERENCES follow_ups (id),
        safety text NOT NULL CHECK (safety IN ('safe', 'at_risk', 'unknown')),
        housing text NOT NULL CHECK (housing IN ('stable', 'temporary', 'none', 'unknown')),
        legal_progress text,
        psychosocial_progress text,
        recorded_by uuid NOT NULL REFERENCES users (id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE follow_up_situations`);
  }
}
