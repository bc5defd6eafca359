import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-case keys and erasure (API.md, "Data protection"). A referral's erasure is marked here
 * first (`erased_at`), then its key is destroyed in the key store, another database, and
 * `key_destroyed_at` records it; the partial index finds erasures whose key is still to destroy
 * (a key store that did not answer), which the retention job retries.
 * Staff's free-text reasons become ciphertexts under the case's (or the house's) key: their
 * length checks move to the DTOs, a ciphertext being longer than its text.
 */
export class CaseKeys1764504000000 implements MigrationInterface {
  name = 'CaseKeys1764504000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Whether everything written about the case is under its key. Rows already here wait for
    // the migration job (false); referrals taken from now on start keyed (the new default).
    // Adding a column with a constant default rewrites no row, even on the national table.
    await queryRunner.query(
      `ALTER TABLE referrals ADD COLUMN case_keyed boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`ALTER TABLE referrals ALTER COLUMN case_keyed SET DEFAULT true`);
    await queryRunner.query(
      `CREATE INDEX referrals_case_key_pending_idx ON referrals (id) WHERE NOT case_keyed`,
    );
    await queryRunner.query(`
      ALTER TABLE referrals
        ADD COLUMN erased_at timestamptz,
        ADD COLUMN key_destroyed_at timestamptz,
        ADD CONSTRAINT referrals_key_destroyed_after_erasure
          CHECK (key_destroyed_at IS NULL OR erased_at IS NOT NULL)`);
    await queryRunner.query(
      `CREATE INDEX referrals_erasure_pending_idx ON referrals (erased_at)
       WHERE erased_at IS NOT NULL AND key_destroyed_at IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE referrals DROP CONSTRAINT referrals_status_reason_check`);
    await queryRunner.query(
      `ALTER TABLE stay_extensions DROP CONSTRAINT stay_extensions_reason_check`,
    );
    await queryRunner.query(
      `ALTER TABLE stay_transfers DROP CONSTRAINT stay_transfers_reason_check`,
    );
    await queryRunner.query(`
      ALTER TABLE bed_service_periods
        DROP CONSTRAINT bed_service_periods_reason_out_check,
        DROP CONSTRAINT bed_service_periods_reason_back_check`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX referrals_erasure_pending_idx`);
    await queryRunner.query(`DROP INDEX referrals_case_key_pending_idx`);
    await queryRunner.query(`ALTER TABLE referrals DROP COLUMN case_keyed`);
    await queryRunner.query(`
      ALTER TABLE referrals
        DROP CONSTRAINT referrals_key_destroyed_after_erasure,
        DROP COLUMN key_destroyed_at,
        DROP COLUMN erased_at`);
  }
}
