import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The protection order's number sat in clear beside the stay's house, so a database reader
 * could tie a court order to a house. It is now written encrypted by the application
 * (`protection_order_number_cipher`, PiiCipher); numbers written in clear before are encrypted
 * at start-up (prepareDatabase, under the migration lock), which empties the old column. No
 * query matches the number (search is by document, reference and name), so it has no blind
 * index. The stay trigger accepted an order only with a number; it now looks at either column.
 */
export class EncryptProtectionOrderNumber1764506100000 implements MigrationInterface {
  name = 'EncryptProtectionOrderNumber1764506100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE referrals
        ADD COLUMN protection_order_number_cipher text,
        ALTER COLUMN protection_order_number DROP NOT NULL,
        ADD CONSTRAINT referrals_protection_order_number_present
          CHECK (protection_order_number_cipher IS NOT NULL OR protection_order_number IS NOT NULL)`);
    await queryRunner.query(
      `COMMENT ON COLUMN referrals.protection_order_number_cipher IS 'encrypted by the application (PiiCipher)'`,
    );
    await queryRunner.query(
      stayTrigger(
        `(r.protection_order_number_cipher IS NOT NULL OR length(btrim(r.protection_order_number)) > 0)`,
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(stayTrigger(`length(btrim(r.protection_order_number)) > 0`));
    // Encrypted numbers cannot be brought back in SQL: down works only before any was written.
    await queryRunner.query(`
      ALTER TABLE referrals
        DROP CONSTRAINT referrals_protection_order_number_present,
        DROP COLUMN protection_order_number_cipher,
        ALTER COLUMN protection_order_number SET NOT NULL`);
  }
}

/** stays_admissible_referral of migration 1763766300000, with `numberPresent` for the number. */
function stayTrigger(numberPresent: string): string {
  return `
    CREATE OR REPLACE FUNCTION stays_admissible_referral() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (
        SELECT 1 FROM referrals r
        WHERE r.id = NEW.referral_id
          AND r.status = 'received'
          AND ${numberPresent}
          AND length(btrim(r.protection_order_authority_name)) > 0
          AND r.protection_order_authority_type IS NOT NULL
          AND r.protection_order_issued_at IS NOT NULL
          AND NEW.admitted_at >= (r.protection_order_issued_at::timestamp AT TIME ZONE 'Pacific/Kiritimati')
      ) THEN
        RAISE EXCEPTION 'stay for a referral that cannot be admitted'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'stays_admissible_referral';
      END IF;
      RETURN NEW;
    END $$`;
}
