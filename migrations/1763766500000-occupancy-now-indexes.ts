import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Occupancy now, read from what is open only. Across a national network the ledger holds
 * millions of closed intervals and a million past stays; GET /occupancy needs only the open
 * intervals per house and the active stays' terms per house. These partial indexes hold exactly
 * those rows with the columns the query reads, so it is answered by index-only scans of a few
 * tens of thousands of entries whatever the length of the history.
 */
export class OccupancyNowIndexes1763766500000 implements MigrationInterface {
  name = 'OccupancyNowIndexes1763766500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX stay_occupants_open_house ON stay_occupants (house_id) WHERE upper_inf(during)`,
    );
    await queryRunner.query(
      `CREATE INDEX stays_active_house_term ON stays (house_id, term_ends_at) WHERE status = 'active'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX stays_active_house_term`);
    await queryRunner.query(`DROP INDEX stay_occupants_open_house`);
  }
}
