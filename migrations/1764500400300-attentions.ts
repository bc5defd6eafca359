import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attentions: one service the team gave one person of a stay (the woman or a dependant), by a
 * discipline. The optional note is encrypted by the application.
 */
export class Attentions1764500400300 implements MigrationInterface {
  name = 'Attentions1764500400300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE attentions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        person_id uuid NOT NULL REFERENCES referral_people (id),
        discipline text NOT NULL CHECK (discipline IN ('psychology', 'social_work', 'legal',
          'nutrition', 'pedagogy', 'health')),
        kind text NOT NULL CHECK (kind IN ('psychosocial_care', 'psychological_therapy',
          'legal_guidance', 'legal_representation', 'court_accompaniment', 'social_work',
          'employment_support', 'education', 'sexual_reproductive_health', 'health_care',
          'first_aid', 'nutrition', 'group_workshop')),
        occurred_at timestamptz NOT NULL,
        duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 1440),
        note text,
        author_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A family's page lists them newest first; the reports count them by period.
    await queryRunner.query(
      `CREATE INDEX attentions_stay_idx ON attentions (stay_id, occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(`CREATE INDEX attentions_occurred_idx ON attentions (occurred_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE attentions`);
  }
}
