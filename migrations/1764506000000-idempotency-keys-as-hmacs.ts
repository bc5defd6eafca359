import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key values are stored as keyed HMACs (PiiCipher.idempotencyKey) instead of in
 * clear. Only the service holds the HMAC's key, so the keys written in clear before (at most a
 * day's worth are still live) are set aside here and hashed into the table at start-up
 * (prepareDatabase, under the migration lock), which then leaves this side table empty.
 */
export class IdempotencyKeysAsHmacs1764506000000 implements MigrationInterface {
  name = 'IdempotencyKeysAsHmacs1764506000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys_plain (
        caller_key text NOT NULL,
        key text NOT NULL,
        request_fingerprint text NOT NULL,
        referral_id uuid NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      WITH moved AS (DELETE FROM idempotency_keys RETURNING *)
      INSERT INTO idempotency_keys_plain
      SELECT caller_key, key, request_fingerprint, referral_id, response, created_at FROM moved`);
    await queryRunner.query(
      `COMMENT ON COLUMN idempotency_keys.key IS 'keyed HMAC of the Idempotency-Key (PiiCipher)'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The HMACs cannot be undone: a key in the table keeps working only with the new code.
    await queryRunner.query(`COMMENT ON COLUMN idempotency_keys.key IS NULL`);
    await queryRunner.query(`DROP TABLE idempotency_keys_plain`);
  }
}
