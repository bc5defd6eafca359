import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free beds per room, kept by the database as the ledger changes. An admission that lets the
 * service choose ranks every house by its rooms' free beds; counting them from 42,000 beds and
 * their intervals took about 50 ms of Postgres per admission at national scale. Each room now
 * carries how many of its beds are in service and how many of those are held by an open
 * interval, updated by statement triggers in the same transaction as the change.
 *
 * The triggers add deltas (never recount), so that two transactions changing one room both
 * count: the second waits for the first's row lock and adds to the value it committed. Rooms are
 * updated one by one in id order, so that two statements touching the same rooms cannot
 * deadlock. An occupied bed stays in service (PATCH /beds refuses otherwise), so a room never
 * holds more than it has in service: the CHECK makes any drift fail loudly instead of placing a
 * family in a bed that is not there.
 */
export class RoomCounts1763766900000 implements MigrationInterface {
  name = 'RoomCounts1763766900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE rooms
        ADD COLUMN beds_in_service integer NOT NULL DEFAULT 0,
        ADD COLUMN beds_held integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE FUNCTION rooms_recount() RETURNS void LANGUAGE sql AS $$
        UPDATE rooms r
        SET beds_in_service = (SELECT count(*) FROM beds b WHERE b.room_id = r.id AND b.in_service),
            beds_held = (SELECT count(*) FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
                         WHERE b.room_id = r.id AND upper_inf(o.during))
      $$`);
    await queryRunner.query(`SELECT rooms_recount()`);
    // GET /occupancy sums the rooms' counters per house; the beds out of service are few.
    await queryRunner.query(
      `CREATE INDEX beds_out_of_service ON beds (house_id) WHERE NOT in_service`,
    );
    await queryRunner.query(`
      ALTER TABLE rooms ADD CONSTRAINT rooms_counts_consistent
        CHECK (beds_held >= 0 AND beds_held <= beds_in_service)`);

    await queryRunner.query(`
      CREATE FUNCTION rooms_add_counts(room_ids uuid[], in_service_deltas int[], held_deltas int[])
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        change record;
      BEGIN
        FOR change IN
          SELECT c.room_id, sum(c.in_service) AS in_service, sum(c.held) AS held
          FROM unnest(room_ids, in_service_deltas, held_deltas) AS c(room_id, in_service, held)
          GROUP BY c.room_id
          HAVING sum(c.in_service) <> 0 OR sum(c.held) <> 0
          ORDER BY c.room_id
        LOOP
          UPDATE rooms
          SET beds_in_service = beds_in_service + change.in_service,
              beds_held = beds_held + change.held
          WHERE id = change.room_id;
        END LOOP;
      END $$`);

    // The ledger: an open interval holds its bed.
    await queryRunner.query(`
      CREATE FUNCTION stay_occupants_count_rooms() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM rooms_add_counts(array_agg(b.room_id), array_agg(0), array_agg(1))
          FROM new_rows n JOIN beds b ON b.id = n.bed_id WHERE upper_inf(n.during);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM rooms_add_counts(array_agg(b.room_id), array_agg(0), array_agg(-1))
          FROM old_rows o JOIN beds b ON b.id = o.bed_id WHERE upper_inf(o.during);
        ELSE
          PERFORM rooms_add_counts(array_agg(c.room_id), array_agg(0), array_agg(c.held)) FROM (
            SELECT b.room_id, -1 AS held
            FROM old_rows o JOIN beds b ON b.id = o.bed_id WHERE upper_inf(o.during)
            UNION ALL
            SELECT b.room_id, 1
            FROM new_rows n JOIN beds b ON b.id = n.bed_id WHERE upper_inf(n.during)) c;
        END IF;
        RETURN NULL;
      END $$`);
    // Beds in service, per room.
    await queryRunner.query(`
      CREATE FUNCTION beds_count_rooms() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM rooms_add_counts(array_agg(room_id), array_agg(1), array_agg(0))
          FROM new_rows WHERE in_service;
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM rooms_add_counts(array_agg(room_id), array_agg(-1), array_agg(0))
          FROM old_rows WHERE in_service;
        ELSE
          PERFORM rooms_add_counts(array_agg(c.room_id), array_agg(c.in_service), array_agg(0)) FROM (
            SELECT room_id, -1 AS in_service FROM old_rows WHERE in_service
            UNION ALL
            SELECT room_id, 1 FROM new_rows WHERE in_service) c;
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of ['stay_occupants', 'beds']) {
      for (const [event, transition] of [
        ['INSERT', 'NEW TABLE AS new_rows'],
        ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
        ['DELETE', 'OLD TABLE AS old_rows'],
      ]) {
        await queryRunner.query(`
          CREATE TRIGGER ${table}_count_rooms_${event.toLowerCase()}
          AFTER ${event} ON ${table} REFERENCING ${transition}
          FOR EACH STATEMENT EXECUTE FUNCTION ${table}_count_rooms()`);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['stay_occupants', 'beds']) {
      for (const event of ['insert', 'update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER ${table}_count_rooms_${event} ON ${table}`);
      }
      await queryRunner.query(`DROP FUNCTION ${table}_count_rooms()`);
    }
    await queryRunner.query(`DROP FUNCTION rooms_add_counts(uuid[], int[], int[])`);
    await queryRunner.query(`DROP FUNCTION rooms_recount()`);
    await queryRunner.query(`ALTER TABLE rooms DROP CONSTRAINT rooms_counts_consistent`);
    await queryRunner.query(`DROP INDEX beds_out_of_service`);
    await queryRunner.query(`ALTER TABLE rooms DROP COLUMN beds_held, DROP COLUMN beds_in_service`);
  }
}
