import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the people on shift need to tell families apart and find them.
 *
 * `stays.family_number` comes from a sequence, as a column DEFAULT, so every way of writing a
 * stay (the admission, whatever replaces it, the national seed) gets one without knowing about
 * it. The service shows it as a short code ("F-3K7Q", see src/stays/family-label.ts): it stays
 * the same for the whole stay, across transfers, and no two stays share one. Existing stays are
 * numbered by the ADD COLUMN itself (a rewrite of the table, which fires no row trigger).
 *
 * `referral_name_tokens` is the blind index of names: one keyed HMAC per word of each person's
 * name (accents and case folded first), never a name in clear; SQL has no key, so the service
 * writes them, at intake in the same statement as the referral. Referrals written before this
 * (or by anything else that inserts referrals) are `name_tokens_pending` and the service
 * backfills them at start-up, resumably.
 */
export class FamilySearch1764500600000 implements MigrationInterface {
  name = 'FamilySearch1764500600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE stays_family_number_seq AS bigint`);
    await queryRunner.query(
      `ALTER TABLE stays ADD COLUMN family_number bigint NOT NULL DEFAULT nextval('stays_family_number_seq')`,
    );
    await queryRunner.query(`ALTER SEQUENCE stays_family_number_seq OWNED BY stays.family_number`);
    await queryRunner.query(`CREATE UNIQUE INDEX stays_family_number_key ON stays (family_number)`);

    await queryRunner.query(`
      CREATE TABLE referral_name_tokens (
        token bytea NOT NULL CHECK (length(token) = 16),
        person_id uuid NOT NULL REFERENCES referral_people (id),
        -- The person's referral, so that a search needs no join; no foreign key of its own:
        -- the person's already ties the row to a referral, and each check costs every intake.
        referral_id uuid NOT NULL,
        PRIMARY KEY (token, person_id)
      )`);
    // Erasing a referral must delete its tokens (a token left behind says a person with that
    // name word existed): found by referral without a scan.
    await queryRunner.query(
      `CREATE INDEX referral_name_tokens_referral_idx ON referral_name_tokens (referral_id)`,
    );
    // Fast default: existing rows read true without a rewrite; the intake writes false.
    await queryRunner.query(
      `ALTER TABLE referrals ADD COLUMN name_tokens_pending boolean NOT NULL DEFAULT true`,
    );
    await queryRunner.query(
      `CREATE INDEX referrals_name_tokens_pending_idx ON referrals (id) WHERE name_tokens_pending`,
    );
    // Search by external reference across callers (the unique index leads with caller_key).
    await queryRunner.query(
      `CREATE INDEX referrals_external_reference_idx ON referrals (external_reference)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX referrals_external_reference_idx`);
    await queryRunner.query(`DROP INDEX referrals_name_tokens_pending_idx`);
    await queryRunner.query(`ALTER TABLE referrals DROP COLUMN name_tokens_pending`);
    await queryRunner.query(`DROP TABLE referral_name_tokens`);
    await queryRunner.query(`ALTER TABLE stays DROP COLUMN family_number`);
  }
}
