import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Houses, rooms and beds (one bed is one place), the history of beds taken out of service,
 * staff accounts, and the append-only audit trail.
 */
export class Foundation1763766000000 implements MigrationInterface {
  name = 'Foundation1763766000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await queryRunner.query(`
      CREATE TABLE houses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{0,19}$'),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE rooms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        house_id uuid NOT NULL REFERENCES houses (id),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
        position integer NOT NULL,
        wheelchair_accessible boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (house_id, name),
        UNIQUE (house_id, position)
      )`);

    // house_id is repeated on beds because every placement and occupancy query starts from a
    // house; the composite foreign key keeps it equal to the room's house.
    await queryRunner.query(
      `ALTER TABLE rooms ADD CONSTRAINT rooms_id_house_unique UNIQUE (id, house_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE beds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        house_id uuid NOT NULL REFERENCES houses (id),
        room_id uuid NOT NULL,
        label text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 50),
        position integer NOT NULL,
        in_service boolean NOT NULL DEFAULT true,
        -- From when the bed counts in capacity; seeded beds are the installed capacity and count
        -- from -infinity, so that back-dated stays loaded from past records have a capacity.
        available_from timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (room_id, house_id) REFERENCES rooms (id, house_id),
        UNIQUE (room_id, label),
        UNIQUE (room_id, position)
      )`);
    await queryRunner.query(`CREATE INDEX beds_house_idx ON beds (house_id, room_id, position)`);

    await queryRunner.query(`
      CREATE TABLE bed_service_periods (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bed_id uuid NOT NULL REFERENCES beds (id),
        out_of_service tstzrange NOT NULL CHECK (NOT isempty(out_of_service) AND lower_inc(out_of_service)),
        reason_out text NOT NULL CHECK (length(btrim(reason_out)) BETWEEN 1 AND 500),
        reason_back text CHECK (length(btrim(reason_back)) BETWEEN 1 AND 500),
        taken_out_by uuid,
        put_back_by uuid,
        CHECK ((upper(out_of_service) IS NULL) = (reason_back IS NULL)),
        EXCLUDE USING gist (bed_id WITH =, out_of_service WITH &&)
      )`);
    await queryRunner.query(
      `CREATE INDEX bed_service_periods_range_idx ON bed_service_periods USING gist (out_of_service)`,
    );

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL CHECK (username ~ '^[a-zA-Z0-9_.-]{3,64}$'),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'admission_officer', 'house_coordinator')),
        house_id uuid REFERENCES houses (id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'house_coordinator') = (house_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_username_unique ON users (lower(username))`);

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_role text NOT NULL,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id uuid,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_events_resource_idx ON audit_events (resource_id, occurred_at)`,
    );
    // Append-only, for every role including the table's owner: a trigger, not only a grant.
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`DROP TABLE bed_service_periods`);
    await queryRunner.query(`DROP TABLE beds`);
    await queryRunner.query(`DROP TABLE rooms`);
    await queryRunner.query(`DROP TABLE houses`);
  }
}
