import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Placement keeps accessible rooms for the families who need them (API.md, "Placement keeps
 * accessible rooms"). A family without the wheelchair need was put in the tightest room that
 * held it, accessible or not; a wheelchair user with four children then found no house. Now
 * such a family gets an accessible room only when no other room of the house can take it
 * whole: in each house the non-accessible rooms are tried first (whole, then split over as few
 * of them as possible, accessible ones only when those are not enough), and among the houses
 * that hold it in one room, those that do so without an accessible room rank first.
 */
export class PlacementKeepsAccessibleRooms1764500120000 implements MigrationInterface {
  name = 'PlacementKeepsAccessibleRooms1764500120000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(RANK_HOUSES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(PREVIOUS_RANK_HOUSES);
  }
}

/**
 * API.md's "best first", with accessible rooms kept: houses where the whole family fits in one
 * room before the others; then those that leave the accessible rooms free; then by fewest beds
 * left empty in that room; then fewest rooms; then most free beds; then code (in code-point
 * order). In each house the family gets the tightest room that holds it whole, so big rooms
 * stay free for big families; else as few rooms as possible, the emptiest first. A wheelchair
 * user gets accessible rooms only.
 */
const RANK_HOUSES = `
  CREATE OR REPLACE FUNCTION stays_rank_houses(p_size int, p_wheelchair boolean, p_houses uuid[],
                                    p_codes text[], p_rooms uuid[], p_positions int[],
                                    p_accessible boolean[], p_free int[])
  RETURNS TABLE (rank bigint, house_id uuid, house_code text, free_places int, room_ids uuid[],
                 rooms int, left_in_room int)
  LANGUAGE sql IMMUTABLE AS $$
    WITH room AS (
      SELECT * FROM unnest(p_houses, p_codes, p_rooms, p_positions, p_accessible, p_free)
        AS r (house_id, code, room_id, position, accessible, free)
      WHERE r.free > 0
    ), usable AS (
      -- spare: an accessible room for a family that does not need one, taken last.
      SELECT room.*, (accessible AND NOT p_wheelchair) AS spare
      FROM room WHERE accessible OR NOT p_wheelchair
    ), house AS (
      SELECT u.house_id, u.code,
             (SELECT sum(a.free) FROM room a WHERE a.house_id = u.house_id)::int AS free_places
      FROM usable u
      GROUP BY u.house_id, u.code
      HAVING sum(u.free) >= p_size
    ), whole AS (
      SELECT DISTINCT ON (u.house_id) u.house_id, u.room_id, u.free - p_size AS left_in_room,
             u.spare
      FROM usable u
      WHERE u.free >= p_size
      ORDER BY u.house_id, u.spare, u.free, u.position
    ), split AS (
      SELECT s.house_id, s.room_id, s.position, s.spare
      FROM (SELECT u.*, sum(u.free) OVER (PARTITION BY u.house_id
                                          ORDER BY u.spare, u.free DESC, u.position
                                          ROWS UNBOUNDED PRECEDING) - u.free AS before
            FROM usable u
            WHERE NOT EXISTS (SELECT 1 FROM whole w WHERE w.house_id = u.house_id)) s
      WHERE s.before < p_size
    ), plan AS (
      SELECT w.house_id, ARRAY[w.room_id] AS room_ids, 1 AS rooms, w.left_in_room,
             w.spare AS takes_spare
      FROM whole w
      UNION ALL
      SELECT s.house_id, array_agg(s.room_id ORDER BY s.position), count(*)::int, NULL,
             bool_or(s.spare)
      FROM split s GROUP BY s.house_id
    )
    SELECT row_number() OVER (ORDER BY p.rooms, p.takes_spare, coalesce(p.left_in_room, 0),
                                       h.free_places DESC, h.code COLLATE "C"),
           h.house_id, h.code, h.free_places, p.room_ids, p.rooms, p.left_in_room
    FROM house h JOIN plan p ON p.house_id = h.house_id
  $$`;

/** The rule as AdmissionInOneCall wrote it, for `down`. */
const PREVIOUS_RANK_HOUSES = `
  CREATE OR REPLACE FUNCTION stays_rank_houses(p_size int, p_wheelchair boolean, p_houses uuid[],
                                    p_codes text[], p_rooms uuid[], p_positions int[],
                                    p_accessible boolean[], p_free int[])
  RETURNS TABLE (rank bigint, house_id uuid, house_code text, free_places int, room_ids uuid[],
                 rooms int, left_in_room int)
  LANGUAGE sql IMMUTABLE AS $$
    WITH room AS (
      SELECT * FROM unnest(p_houses, p_codes, p_rooms, p_positions, p_accessible, p_free)
        AS r (house_id, code, room_id, position, accessible, free)
      WHERE r.free > 0
    ), usable AS (
      SELECT * FROM room WHERE accessible OR NOT p_wheelchair
    ), house AS (
      SELECT u.house_id, u.code,
             (SELECT sum(a.free) FROM room a WHERE a.house_id = u.house_id)::int AS free_places
      FROM usable u
      GROUP BY u.house_id, u.code
      HAVING sum(u.free) >= p_size
    ), whole AS (
      SELECT DISTINCT ON (u.house_id) u.house_id, u.room_id, u.free - p_size AS left_in_room
      FROM usable u
      WHERE u.free >= p_size
      ORDER BY u.house_id, u.free, u.position
    ), split AS (
      SELECT s.house_id, s.room_id, s.position
      FROM (SELECT u.*, sum(u.free) OVER (PARTITION BY u.house_id
                                          ORDER BY u.free DESC, u.position
                                          ROWS UNBOUNDED PRECEDING) - u.free AS before
            FROM usable u
            WHERE NOT EXISTS (SELECT 1 FROM whole w WHERE w.house_id = u.house_id)) s
      WHERE s.before < p_size
    ), plan AS (
      SELECT w.house_id, ARRAY[w.room_id] AS room_ids, 1 AS rooms, w.left_in_room FROM whole w
      UNION ALL
      SELECT s.house_id, array_agg(s.room_id ORDER BY s.position), count(*)::int, NULL
      FROM split s GROUP BY s.house_id
    )
    SELECT row_number() OVER (ORDER BY p.rooms, coalesce(p.left_in_room, 0), h.free_places DESC,
                                       h.code COLLATE "C"),
           h.house_id, h.code, h.free_places, p.room_ids, p.rooms, p.left_in_room
    FROM house h JOIN plan p ON p.house_id = h.house_id
  $$`;
