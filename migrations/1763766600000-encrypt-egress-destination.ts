import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a woman went after egress is as sensitive as her notes (often a relative's town or
 * address): the application now stores it encrypted, so the plaintext length limit moves to
 * the DTO and the column holds a ciphertext. No deployment has stored destinations yet.
 */
export class EncryptEgressDestination1763766600000 implements MigrationInterface {
  name = 'EncryptEgressDestination1763766600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE stays DROP CONSTRAINT stays_egress_destination_check`);
    await queryRunner.query(
      `COMMENT ON COLUMN stays.egress_destination IS 'encrypted by the application (PiiCipher)'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`COMMENT ON COLUMN stays.egress_destination IS NULL`);
    await queryRunner.query(
      `ALTER TABLE stays ADD CONSTRAINT stays_egress_destination_check CHECK (length(egress_destination) <= 500) NOT VALID`,
    );
  }
}
