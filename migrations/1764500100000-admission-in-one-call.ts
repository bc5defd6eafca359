import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admission in one round trip. With the house chosen in the service, an admission held its
 * house's lock over a dozen round trips (lock, read free beds, lock beds, insert the stay, its
 * occupants, the referral, the alerts, the audit): at 32 officers over 5 houses that was 63
 * admissions/s with a p99 near a second, nearly all of it waiting for a lock whose holder was
 * waiting for the network. Here the whole use case is one function call: the locks are held for
 * the time Postgres needs, not for the service's round trips.
 *
 * Where a family goes is written once, here: `stays_rank_houses` ranks houses and chooses their
 * rooms, `stays_placement` adds the beds; `GET /referrals/:id/placement-options`, admissions and
 * transfers all ask them. The bed ledger's exclusion constraints stay the last word: a bed given
 * twice still fails the INSERT, and the service tries again.
 *
 * The status of a referral changes only through `referrals_mark_admitted` (and, at egress,
 * `referrals_mark_exited`): the referrals feature's one writer of those moves.
 */
export class AdmissionInOneCall1764500100000 implements MigrationInterface {
  name = 'AdmissionInOneCall1764500100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Free from p_from on: in service and counted by then, in a house that takes admissions, and
    // nothing of the ledger reaching past p_from (no open interval, no closed one ending after
    // it, no period out of service). Written to match the ledger's partial indexes exactly.
    await queryRunner.query(`
      CREATE FUNCTION stays_free_beds(p_from timestamptz, p_house uuid)
      RETURNS TABLE (house_id uuid, room_id uuid, room_position int, bed_id uuid, bed_position int)
      LANGUAGE sql STABLE AS $$
        SELECT b.house_id, r.id, r.position, b.id, b.position
        FROM beds b
        JOIN rooms r ON r.id = b.room_id
        JOIN houses h ON h.id = b.house_id
        WHERE (p_house IS NULL OR b.house_id = p_house)
          AND h.active AND b.in_service AND b.available_from <= p_from
          AND NOT EXISTS (SELECT 1 FROM stay_occupants o
                          WHERE o.bed_id = b.id AND upper_inf(o.during))
          AND NOT EXISTS (SELECT 1 FROM stay_occupants o
                          WHERE o.bed_id = b.id AND NOT upper_inf(o.during) AND upper(o.during) > p_from)
          AND NOT EXISTS (SELECT 1 FROM bed_service_periods p
                          WHERE p.bed_id = b.id AND p.out_of_service && tstzrange(p_from, NULL, '[)'))
      $$`);

    // Of some beds (locked by the caller), those not free from p_from on: probes by bed, cheaper
    // than reading the house's free beds again.
    await queryRunner.query(`
      CREATE FUNCTION stays_unavailable_beds(p_beds uuid[], p_from timestamptz)
      RETURNS TABLE (bed_id uuid) LANGUAGE sql STABLE AS $$
        SELECT b.id FROM beds b
        WHERE b.id = ANY (p_beds)
          AND (NOT b.in_service OR b.available_from > p_from
               OR EXISTS (SELECT 1 FROM stay_occupants o
                          WHERE o.bed_id = b.id AND o.during && tstzrange(p_from, NULL, '[)'))
               OR EXISTS (SELECT 1 FROM bed_service_periods p
                          WHERE p.bed_id = b.id
                            AND p.out_of_service && tstzrange(p_from, NULL, '[)')))
      $$`);

    // Free beds per room. At the present the rooms' counters answer (see the room-counts
    // migration: in service minus held is exactly the beds free from now on); a back-dated
    // admission needs beds free since then and counts them from the ledger, as does any call
    // with no p_now (the ledger's exact answer).
    await queryRunner.query(`
      CREATE FUNCTION stays_free_rooms(p_from timestamptz, p_now timestamptz, p_house uuid)
      RETURNS TABLE (house_id uuid, house_code text, room_id uuid, room_position int,
                     wheelchair_accessible boolean, free_beds int)
      LANGUAGE sql STABLE AS $$
        SELECT h.id, h.code, r.id, r.position, r.wheelchair_accessible,
               r.beds_in_service - r.beds_held
        FROM rooms r JOIN houses h ON h.id = r.house_id
        WHERE p_from = p_now AND h.active AND r.beds_in_service > r.beds_held
          AND (p_house IS NULL OR r.house_id = p_house)
        UNION ALL
        SELECT h.id, h.code, r.id, r.position, r.wheelchair_accessible, count(*)::int
        FROM stays_free_beds(p_from, p_house) f
        JOIN rooms r ON r.id = f.room_id
        JOIN houses h ON h.id = f.house_id
        WHERE p_from IS DISTINCT FROM p_now
        GROUP BY h.id, h.code, r.id, r.position, r.wheelchair_accessible
      $$`);

    await queryRunner.query(RANK_HOUSES);

    // The ranked houses with the beds each would give: the chosen rooms' free beds in room and
    // bed order, the woman's first. With p_house, that house alone (an admission that locked
    // it), counted from the ledger: the counters may already show a bed an egress frees at an
    // instant after p_from, which the ledger does not give before then.
    await queryRunner.query(`
      CREATE FUNCTION stays_placement(p_size int, p_wheelchair boolean, p_from timestamptz,
                                      p_now timestamptz, p_house uuid)
      RETURNS TABLE (rank bigint, house_id uuid, house_code text, free_places int, bed_ids uuid[])
      LANGUAGE sql STABLE AS $$
        SELECT x.* FROM (
        SELECT k.rank, k.house_id, k.house_code, k.free_places,
               (SELECT array_agg(c.bed_id ORDER BY c.room_position, c.bed_position)
                FROM (SELECT f.bed_id, f.room_position, f.bed_position
                      FROM stays_free_beds(p_from, k.house_id) f
                      WHERE f.room_id = ANY (k.room_ids)
                      ORDER BY f.room_position, f.bed_position
                      LIMIT p_size) c)
        FROM (SELECT array_agg(f.house_id) AS houses, array_agg(f.house_code) AS codes,
                     array_agg(f.room_id) AS rooms, array_agg(f.room_position) AS positions,
                     array_agg(f.wheelchair_accessible) AS accessible,
                     array_agg(f.free_beds) AS free
              FROM stays_free_rooms(p_from, CASE WHEN p_house IS NULL THEN p_now END,
                                    p_house) f) a,
             stays_rank_houses(p_size, p_wheelchair, a.houses, a.codes, a.rooms, a.positions,
                               a.accessible, a.free) k
        ) x (rank, house_id, house_code, free_places, bed_ids)
        WHERE cardinality(x.bed_ids) = p_size
        ORDER BY x.rank
      $$`);

    await queryRunner.query(`
      CREATE FUNCTION referrals_mark_admitted(p_referral uuid, p_admitted_at timestamptz,
                                              p_now timestamptz)
      RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE referrals SET status = 'admitted', admitted_at = p_admitted_at, updated_at = p_now
        WHERE id = p_referral AND status = 'received';
        RETURN FOUND;
      END $$`);

    // The follow-ups feature's rule, called by the admission and by its repository. Helpers
    // are plpgsql, not SQL: Postgres keeps a plpgsql function's plans for the session, while a
    // SQL function that writes is planned again on every call (4 ms here).
    await queryRunner.query(`
      CREATE FUNCTION follow_ups_cancel_for_readmission(p_referral uuid, p_now timestamptz)
      RETURNS int LANGUAGE plpgsql AS $$
      DECLARE
        v_cancelled int;
      BEGIN
        UPDATE follow_ups f
        SET status = 'cancelled', cancelled_at = p_now, cancel_reason = 'readmitted',
            updated_at = p_now
        WHERE f.status IN ('scheduled', 'due')
          AND f.referral_id IN (
            SELECT p_referral
            UNION
            SELECT r.id FROM referrals r JOIN referrals this ON r.document_index = this.document_index
            WHERE this.id = p_referral AND this.document_index IS NOT NULL);
        GET DIAGNOSTICS v_cancelled = ROW_COUNT;
        RETURN v_cancelled;
      END $$`);

    await queryRunner.query(ADMIT);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION stays_admit(uuid, uuid, uuid[], timestamptz, timestamptz, text, timestamptz,
                                 timestamptz, text[], timestamptz[], uuid, text, text)`,
    );
    await queryRunner.query(`DROP FUNCTION follow_ups_cancel_for_readmission(uuid, timestamptz)`);
    await queryRunner.query(
      `DROP FUNCTION referrals_mark_admitted(uuid, timestamptz, timestamptz)`,
    );
    await queryRunner.query(
      `DROP FUNCTION stays_placement(int, boolean, timestamptz, timestamptz, uuid)`,
    );
    await queryRunner.query(
      `DROP FUNCTION stays_rank_houses(int, boolean, uuid[], text[], uuid[], int[], boolean[], int[])`,
    );
    await queryRunner.query(`DROP FUNCTION stays_free_rooms(timestamptz, timestamptz, uuid)`);
    await queryRunner.query(`DROP FUNCTION stays_unavailable_beds(uuid[], timestamptz)`);
    await queryRunner.query(`DROP FUNCTION stays_free_beds(timestamptz, uuid)`);
  }
}

/**
 * API.md's "best first": houses where the whole family fits in one room before the others, by
 * fewest beds left empty in that room; then fewest rooms; then most free beds; then code (in
 * code-point order). In each house the family gets the tightest room that holds it whole, so
 * big rooms stay free for big families; else as few rooms as possible, the emptiest first. A
 * wheelchair user gets accessible rooms only. Rooms come as arrays (free beds per room, any
 * number of houses) so that the rule is one pure function the tests can call directly.
 */
const RANK_HOUSES = `
  CREATE FUNCTION stays_rank_houses(p_size int, p_wheelchair boolean, p_houses uuid[],
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

/**
 * The admission. It answers an outcome instead of raising when it refuses before writing
 * anything (the service maps it to the contract's error); a refusal after a write raises, so
 * that the whole call rolls back. 'retry': a bed it chose changed between the ranking and its
 * lock (taken out of service); the service calls again, as it does on an exclusion violation.
 *
 * Without a named house it tries the houses best first, each under a lock taken with SKIP
 * LOCKED, so that concurrent admissions spread over the network instead of queueing on one
 * house, and waits for a busy house only when no free one can take the family. A house found
 * full once locked is let go at once (the block's subtransaction rolls back), so that the call
 * never holds two house locks and cannot deadlock with another admission.
 */
export const ADMIT = `
  CREATE FUNCTION stays_admit(
    p_referral uuid, p_house uuid, p_bed_ids uuid[], p_admitted_at timestamptz,
    p_now timestamptz, p_time_zone text, p_term_ends_at timestamptz, p_max_ends_at timestamptz,
    p_alert_kinds text[], p_alert_due timestamptz[], p_actor uuid, p_actor_role text,
    p_request_id text)
  RETURNS TABLE (outcome text, stay_id uuid, detail text, cancelled_follow_ups int)
  LANGUAGE plpgsql
  -- Its queries are planned once per session: custom plans of the inlined placement queries
  -- cost 10 ms of planning each for 1 ms of work.
  SET plan_cache_mode = force_generic_plan
  AS $$
  DECLARE
    v_referral record;
    v_family uuid[];
    v_roles text[];
    v_house uuid;
    v_beds uuid[];
    v_busy uuid[] := '{}';
    v_candidate uuid;
    v_wait boolean;
    v_count int;
    v_stay uuid;
    v_cancelled int;
  BEGIN
    SELECT r.id, r.status, r.protection_order_issued_at, r.wheelchair_accessible INTO v_referral
    FROM referrals r WHERE r.id = p_referral FOR NO KEY UPDATE;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'referral_not_found', NULL::uuid, NULL::text, 0;
      RETURN;
    END IF;
    IF p_admitted_at < (v_referral.protection_order_issued_at::timestamp AT TIME ZONE p_time_zone) THEN
      RETURN QUERY SELECT 'before_order', NULL::uuid, NULL::text, 0;
      RETURN;
    END IF;
    SELECT array_agg(p.id ORDER BY p.position), array_agg(p.role ORDER BY p.position)
      INTO v_family, v_roles
    FROM referral_people p WHERE p.referral_id = p_referral;
    IF p_bed_ids IS NOT NULL AND cardinality(p_bed_ids) <> cardinality(v_family) THEN
      RETURN QUERY SELECT 'beds_count', NULL::uuid, cardinality(v_family)::text, 0;
      RETURN;
    END IF;
    IF p_house IS NOT NULL AND NOT EXISTS (SELECT 1 FROM houses h WHERE h.id = p_house) THEN
      RETURN QUERY SELECT 'not_a_house', NULL::uuid, NULL::text, 0;
      RETURN;
    END IF;
    IF v_referral.status IN ('admitted', 'exited') THEN
      RETURN QUERY SELECT 'already_admitted', NULL::uuid, NULL::text, 0;
      RETURN;
    ELSIF v_referral.status <> 'received' THEN
      RETURN QUERY SELECT 'invalid_state', NULL::uuid, v_referral.status::text, 0;
      RETURN;
    END IF;

    IF p_house IS NOT NULL THEN
      PERFORM 1 FROM houses h WHERE h.id = p_house FOR NO KEY UPDATE;
      v_house := p_house;
      IF p_bed_ids IS NOT NULL THEN
        -- Locked first (a concurrent PATCH /beds locks the same rows), then read again in a
        -- statement of its own, so that what was committed while we waited is seen.
        PERFORM 1 FROM beds b WHERE b.id = ANY (p_bed_ids) AND b.house_id = p_house
        ORDER BY b.id FOR NO KEY UPDATE;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count <> cardinality(p_bed_ids) THEN
          RETURN QUERY SELECT 'bed_not_in_house', NULL::uuid, NULL::text, 0;
          RETURN;
        END IF;
        SELECT count(*) INTO v_count FROM stays_unavailable_beds(p_bed_ids, p_admitted_at);
        IF v_count > 0 THEN
          RETURN QUERY SELECT 'bed_occupied', NULL::uuid, v_count::text, 0;
          RETURN;
        END IF;
        v_beds := p_bed_ids;
      ELSE
        SELECT pl.bed_ids INTO v_beds
        FROM stays_placement(cardinality(v_family), v_referral.wheelchair_accessible,
                             p_admitted_at, p_now, p_house) pl;
        IF v_beds IS NULL THEN
          RETURN QUERY SELECT 'no_capacity', NULL::uuid, 'house'::text, 0;
          RETURN;
        END IF;
      END IF;
    ELSE
      FOR v_wait IN SELECT unnest(ARRAY[false, true]) LOOP
        FOR v_candidate IN
          SELECT k.house_id
          FROM (SELECT array_agg(f.house_id) AS houses, array_agg(f.house_code) AS codes,
                       array_agg(f.room_id) AS rooms, array_agg(f.room_position) AS positions,
                       array_agg(f.wheelchair_accessible) AS accessible,
                       array_agg(f.free_beds) AS free
                FROM stays_free_rooms(p_admitted_at, p_now, NULL) f) a,
               stays_rank_houses(cardinality(v_family), v_referral.wheelchair_accessible,
                                 a.houses, a.codes, a.rooms, a.positions, a.accessible,
                                 a.free) k
          WHERE NOT v_wait OR k.house_id = ANY (v_busy)
          ORDER BY k.rank
        LOOP
          BEGIN
            IF v_wait THEN
              PERFORM 1 FROM houses h WHERE h.id = v_candidate FOR NO KEY UPDATE;
            ELSE
              PERFORM 1 FROM houses h WHERE h.id = v_candidate FOR NO KEY UPDATE SKIP LOCKED;
              IF NOT FOUND THEN
                v_busy := v_busy || v_candidate;
                CONTINUE;
              END IF;
            END IF;
            SELECT pl.bed_ids INTO v_beds
            FROM stays_placement(cardinality(v_family), v_referral.wheelchair_accessible,
                                 p_admitted_at, p_now, v_candidate) pl;
            IF v_beds IS NULL THEN
              -- Full once locked: rolling the block back lets the house go.
              RAISE EXCEPTION USING ERRCODE = 'RF001';
            END IF;
            v_house := v_candidate;
            EXIT;
          EXCEPTION WHEN SQLSTATE 'RF001' THEN
            v_beds := NULL;
          END;
        END LOOP;
        EXIT WHEN v_house IS NOT NULL;
      END LOOP;
      IF v_house IS NULL THEN
        RETURN QUERY SELECT 'no_capacity', NULL::uuid, 'network'::text, 0;
        RETURN;
      END IF;
    END IF;

    IF cardinality(v_beds) <> cardinality(v_family) THEN
      RETURN QUERY SELECT 'retry', NULL::uuid, NULL::text, 0;
      RETURN;
    END IF;
    IF p_bed_ids IS NULL THEN
      -- A bed taken out of service between the ranking and our lock sends the call round again.
      PERFORM 1 FROM beds b WHERE b.id = ANY (v_beds) ORDER BY b.id FOR NO KEY UPDATE;
      IF EXISTS (SELECT 1 FROM stays_unavailable_beds(v_beds, p_admitted_at)) THEN
        RETURN QUERY SELECT 'retry', NULL::uuid, NULL::text, 0;
        RETURN;
      END IF;
    END IF;

    INSERT INTO stays (referral_id, house_id, admitted_at, term_ends_at, max_ends_at,
                       last_moved_at, admitted_by, created_at, updated_at)
    VALUES (p_referral, v_house, p_admitted_at, p_term_ends_at, p_max_ends_at, p_admitted_at,
            p_actor, p_now, p_now)
    RETURNING id INTO v_stay;
    -- One interval [admitted, ∞) per person, the woman's first; the exclusion constraints are
    -- the last word on a bed given twice.
    INSERT INTO stay_occupants (stay_id, person_id, role, house_id, bed_id, during)
    SELECT v_stay, o.person_id, o.role, v_house, o.bed_id, tstzrange(p_admitted_at, NULL, '[)')
    FROM unnest(v_family, v_roles, v_beds) AS o (person_id, role, bed_id);
    IF NOT referrals_mark_admitted(p_referral, p_admitted_at, p_now) THEN
      RAISE EXCEPTION 'the referral was admitted meanwhile'
        USING ERRCODE = 'unique_violation', CONSTRAINT = 'stays_one_active_per_referral';
    END IF;
    -- She is back in a house: the follow-ups of her earlier stays no longer apply.
    v_cancelled := follow_ups_cancel_for_readmission(p_referral, p_now);
    -- The term alerts are the outbox the relay feeds the queue from.
    INSERT INTO term_alerts (stay_id, kind, term_ends_at, due_at)
    SELECT v_stay, a.kind, p_term_ends_at, a.due_at
    FROM unnest(p_alert_kinds, p_alert_due) AS a (kind, due_at);
    INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id,
                              request_id, details)
    VALUES (p_actor, p_actor_role, 'stay.admitted', 'stay', v_stay, p_request_id,
            jsonb_build_object('referralId', p_referral, 'houseId', v_house,
                               'people', cardinality(v_family),
                               'backdated', p_admitted_at <> p_now));
    RETURN QUERY SELECT 'admitted', v_stay, NULL::text, v_cancelled;
  END $$`;
