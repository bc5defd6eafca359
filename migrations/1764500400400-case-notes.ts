import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case notes: what a professional writes about a family. The body is encrypted by the
 * application. `discipline` notes are for the author's discipline only, which the reading query
 * decides. A note is a record: never edited, never deleted, for every role including the
 * table's owner (a trigger, as for the audit trail).
 */
export class CaseNotes1764500400400 implements MigrationInterface {
  name = 'CaseNotes1764500400400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE case_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        person_id uuid REFERENCES referral_people (id),
        -- The author's discipline; null for coordinators and admins, who write team notes only.
        discipline text CHECK (discipline IN ('psychology', 'social_work', 'legal', 'nutrition',
          'pedagogy', 'health')),
        visibility text NOT NULL CHECK (visibility IN ('team', 'discipline')),
        body text NOT NULL,
        author_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (visibility <> 'discipline' OR discipline IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX case_notes_stay_idx ON case_notes (stay_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION case_notes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case notes are never edited or deleted' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER case_notes_no_update_delete BEFORE UPDATE OR DELETE ON case_notes
      FOR EACH ROW EXECUTE FUNCTION case_notes_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER case_notes_no_truncate BEFORE TRUNCATE ON case_notes
      FOR EACH STATEMENT EXECUTE FUNCTION case_notes_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE case_notes`);
    await queryRunner.query(`DROP FUNCTION case_notes_append_only()`);
  }
}
