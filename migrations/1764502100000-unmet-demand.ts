import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unmet demand: every `409 NO_CAPACITY` answered for a referral (by `POST /stays`, and by
 * `POST /holds`) is recorded once per referral and calendar day of TZ_SERVICE. The primary key
 * is the "once": concurrent refusals of one referral on one day insert one row, whoever is
 * first. `local_day` is computed by the application (the database does not know TZ_SERVICE).
 */
export class UnmetDemand1764502100000 implements MigrationInterface {
  name = 'UnmetDemand1764502100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE unmet_demand (
        referral_id uuid NOT NULL REFERENCES referrals (id),
        local_day date NOT NULL,
        -- The first refusal of that day.
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (referral_id, local_day)
      )`);
    // Reports count a period's days over the whole network.
    await queryRunner.query(`CREATE INDEX unmet_demand_day_idx ON unmet_demand (local_day)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE unmet_demand`);
  }
}
