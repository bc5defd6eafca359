import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bed ledger. Each person of a stay holds one bed over a time interval `[from, to)`; the
 * database refuses two overlapping intervals on one bed (and one person in two beds), so no
 * code path, concurrent or back-dated, can give a bed twice.
 */
export class Stays1763766200000 implements MigrationInterface {
  name = 'Stays1763766200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stays (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referrals (id),
        house_id uuid NOT NULL REFERENCES houses (id),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'exited')),
        admitted_at timestamptz NOT NULL,
        term_ends_at timestamptz NOT NULL,
        max_ends_at timestamptz NOT NULL,
        -- When the family last moved house; egress may not be back-dated before it.
        last_moved_at timestamptz NOT NULL,
        exited_at timestamptz,
        egress_reason text CHECK (egress_reason IN ('term_completed', 'voluntary', 'transferred_out', 'rule_breach', 'other')),
        egress_destination text CHECK (length(egress_destination) <= 500),
        -- Encrypted by the application: notes may name people.
        egress_notes text,
        admitted_by uuid REFERENCES users (id),
        exited_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (admitted_at < term_ends_at AND term_ends_at <= max_ends_at),
        CHECK (last_moved_at >= admitted_at),
        CHECK ((status = 'exited') = (exited_at IS NOT NULL)),
        CHECK ((status = 'exited') = (egress_reason IS NOT NULL)),
        CHECK (exited_at IS NULL OR exited_at >= last_moved_at)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX stays_one_active_per_referral ON stays (referral_id) WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX stays_house_status_idx ON stays (house_id, status, term_ends_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE stay_occupants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        person_id uuid NOT NULL REFERENCES referral_people (id),
        role text NOT NULL CHECK (role IN ('woman', 'dependant')),
        house_id uuid NOT NULL REFERENCES houses (id),
        bed_id uuid NOT NULL REFERENCES beds (id),
        during tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
        EXCLUDE USING gist (bed_id WITH =, during WITH &&),
        EXCLUDE USING gist (person_id WITH =, during WITH &&)
      )`);
    await queryRunner.query(`CREATE INDEX stay_occupants_stay_idx ON stay_occupants (stay_id)`);
    await queryRunner.query(
      `CREATE INDEX stay_occupants_house_during_idx ON stay_occupants USING gist (house_id, during)`,
    );
    // The beds held right now: an open interval.
    await queryRunner.query(
      `CREATE INDEX stay_occupants_open_bed ON stay_occupants (bed_id) WHERE upper_inf(during)`,
    );

    await queryRunner.query(`
      CREATE TABLE stay_extensions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        previous_term_ends_at timestamptz NOT NULL,
        term_ends_at timestamptz NOT NULL,
        reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
        extended_by uuid NOT NULL REFERENCES users (id),
        extended_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX stay_extensions_stay_idx ON stay_extensions (stay_id, extended_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE stay_transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        from_house_id uuid NOT NULL REFERENCES houses (id),
        to_house_id uuid NOT NULL REFERENCES houses (id),
        reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
        transferred_by uuid NOT NULL REFERENCES users (id),
        transferred_at timestamptz NOT NULL,
        CHECK (from_house_id <> to_house_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX stay_transfers_stay_idx ON stay_transfers (stay_id, transferred_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stay_transfers`);
    await queryRunner.query(`DROP TABLE stay_extensions`);
    await queryRunner.query(`DROP TABLE stay_occupants`);
    await queryRunner.query(`DROP TABLE stays`);
  }
}
