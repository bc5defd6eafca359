import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The beds held now, per house: occupancy reads count them on every request, and at national
 * scale a house has thousands of closed intervals for its few dozen open ones.
 */
export class OccupancyIndexes1763766500000 implements MigrationInterface {
  name = 'OccupancyIndexes1763766500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX stay_occupants_open_by_house ON stay_occupants (house_id) WHERE upper_inf(during)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX stay_occupants_open_by_house`);
  }
}
