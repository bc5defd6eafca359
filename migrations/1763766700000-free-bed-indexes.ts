import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admission that lets the service choose the house counts the free beds of every room of
 * the network. A bed is free from an instant when no interval of the ledger reaches past it:
 * the open intervals (already indexed by bed) and the closed ones that end after it. This
 * index holds the closed ones by their end, so "ended after now" is a short range scan instead
 * of a probe into millions of past intervals for each of tens of thousands of beds.
 */
export class FreeBedIndexes1763766700000 implements MigrationInterface {
  name = 'FreeBedIndexes1763766700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX stay_occupants_closed_upper ON stay_occupants (upper(during))
       WHERE NOT upper_inf(during)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX stay_occupants_closed_upper`);
  }
}
