import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The protection order's number sat in clear beside the stay's house, so a database reader
 * could tie a court order to a house. It is now written encrypted by the application
 * (`protection_order_number_cipher`, PiiCipher); numbers written in clear before are encrypted
 * at start-up (prepareDatabase, under the migration lock), which empties the old column. No
 * query matches the number (search is by document, reference and name), so it has no blind
 * index.
 *
 * Every rule that asked "has the referral its order's number?" now looks at either column: the
 * order-or-provisional checks of migration 1764502000000, the stay trigger that admits a
 * referral with its order (or a provisional one), and the trigger that makes a stay provisional.
 */
export class EncryptProtectionOrderNumber1764506100000 implements MigrationInterface {
  name = 'EncryptProtectionOrderNumber1764506100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE referrals ADD COLUMN protection_order_number_cipher text`);
    await queryRunner.query(
      `COMMENT ON COLUMN referrals.protection_order_number_cipher IS 'encrypted by the application (PiiCipher)'`,
    );
    await this.rules(
      queryRunner,
      '(protection_order_number IS NOT NULL OR protection_order_number_cipher IS NOT NULL)',
      '(protection_order_number IS NULL AND protection_order_number_cipher IS NULL)',
      // An erased case (migration 1764504000000) is nobody's to admit any more.
      'AND r.erased_at IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Encrypted numbers cannot be brought back in SQL: down works only before any was written.
    await this.rules(
      queryRunner,
      '(protection_order_number IS NOT NULL)',
      '(protection_order_number IS NULL)',
      '',
    );
    await queryRunner.query(`ALTER TABLE referrals DROP COLUMN protection_order_number_cipher`);
  }

  /** The rules of migration 1764502000000 with `present` / `absent` for the order's number. */
  private async rules(
    queryRunner: QueryRunner,
    present: string,
    absent: string,
    notErased: string,
  ): Promise<void> {
    const inRow = (sql: string) =>
      sql.replace(/protection_order_number/g, 'r.protection_order_number');
    await queryRunner.query(`
      ALTER TABLE referrals
        DROP CONSTRAINT referrals_order_or_provisional,
        DROP CONSTRAINT referrals_order_attached_to_provisional,
        ADD CONSTRAINT referrals_order_or_provisional CHECK (
          (${present} AND protection_order_authority_type IS NOT NULL
           AND protection_order_authority_name IS NOT NULL AND protection_order_issued_at IS NOT NULL)
          OR (${absent} AND protection_order_authority_type IS NULL
              AND protection_order_authority_name IS NULL AND protection_order_issued_at IS NULL
              AND provisional_reason IS NOT NULL AND referrer_id IS NULL)),
        ADD CONSTRAINT referrals_order_attached_to_provisional
          CHECK (order_attached_at IS NULL OR (provisional_reason IS NOT NULL AND ${present}))`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION stays_admissible_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM referrals r
          WHERE r.id = NEW.referral_id
            AND r.status = 'received' ${notErased}
            AND ((${inRow(present)}
                  AND coalesce(length(btrim(r.protection_order_number)), 1) > 0
                  AND length(btrim(r.protection_order_authority_name)) > 0
                  AND r.protection_order_authority_type IS NOT NULL
                  AND r.protection_order_issued_at IS NOT NULL
                  AND NEW.admitted_at >= (r.protection_order_issued_at::timestamp AT TIME ZONE 'Pacific/Kiritimati'))
                 OR (${inRow(absent)}
                     AND r.protection_order_authority_type IS NULL
                     AND r.protection_order_authority_name IS NULL
                     AND r.protection_order_issued_at IS NULL
                     AND r.provisional_reason IS NOT NULL
                     AND r.provisional_order_hours IS NOT NULL))
        ) THEN
          RAISE EXCEPTION 'stay for a referral that cannot be admitted'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stays_admissible_referral';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION stays_provisional_order() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_hours smallint;
      BEGIN
        SELECT r.provisional_order_hours INTO v_hours FROM referrals r
        WHERE r.id = NEW.referral_id AND ${inRow(absent)};
        NEW.provisional := v_hours IS NOT NULL;
        NEW.order_due_by := CASE WHEN v_hours IS NOT NULL
                                 THEN NEW.admitted_at + make_interval(hours => v_hours) END;
        RETURN NEW;
      END $$`);
  }
}
