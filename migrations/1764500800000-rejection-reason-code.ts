import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coded decision on a rejection (API.md, "Coded decisions"): counted in the reports and told
 * to the referrer as a standard text, apart from the free text staff type. Rejections written
 * before the code existed take the contract's default, `other`; other statuses carry none.
 * Readers still treat a rejection without a code as `other`, since fixtures move statuses by hand.
 */
export class RejectionReasonCode1764500800000 implements MigrationInterface {
  name = 'RejectionReasonCode1764500800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE referrals ADD COLUMN status_reason_code text`);
    // Whether the referrer typed the free text herself (a withdrawal of her own): only then may
    // she read it back. Earlier withdrawals cannot tell, so their text stays with staff.
    await queryRunner.query(
      `ALTER TABLE referrals ADD COLUMN status_reason_by_referrer boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `UPDATE referrals SET status_reason_code = 'other' WHERE status = 'rejected'`,
    );
    await queryRunner.query(`
      ALTER TABLE referrals
        ADD CONSTRAINT referrals_status_reason_code_check
          CHECK (status_reason_code IN ('no_capacity', 'not_eligible', 'woman_declined',
                                        'unreachable', 'needs_not_met', 'referred_elsewhere',
                                        'duplicate', 'other'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE referrals
        DROP CONSTRAINT referrals_status_reason_code_check,
        DROP COLUMN status_reason_code,
        DROP COLUMN status_reason_by_referrer`);
  }
}
