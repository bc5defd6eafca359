import { MigrationInterface, QueryRunner } from 'typeorm';
import { ADMIT as PREVIOUS_ADMIT } from './1764500100000-admission-in-one-call';

const ADMIT_SIGNATURE = `stays_admit(uuid, uuid, uuid[], timestamptz, timestamptz, text, timestamptz,
                                 timestamptz, text[], timestamptz[], uuid, text, text)`;

/**
 * Transport holds (API.md, "Admission, completed"): a family's beds kept while she travels.
 *
 * A hold claims its beds in the bed ledger itself: one `stay_occupants` row per person with
 * `hold_id` instead of `stay_id`, over `[heldAt, expiresAt)`. The ledger's exclusion constraint
 * then refuses a held bed to any admission, transfer or other hold, whatever the path or the
 * concurrency, and because the interval ends at `expiresAt` the beds are free again at that
 * instant with no worker running (the sweep job only writes down what time already did, and
 * deletes the rows it no longer needs). Readers of the ledger that count people (history,
 * reports) skip the hold rows; readers that look for free beds see them as taken until they end,
 * which `stays_free_beds` and `stays_unavailable_beds` already do for any closed interval. The
 * rooms' counters keep counting open intervals only; `stays_free_rooms` subtracts the live holds
 * at the present (a counter could not expire by itself).
 *
 * One live hold per referral is an exclusion on `holds` over `[heldAt, expiresAt)`, so a hold
 * that lapsed unnoticed never blocks a new one. Where a family goes is still decided once:
 * the admission's house-and-bed choice moves into `stays_choose_beds`, called by the admission
 * and by the hold alike; the admission now confirms the referral's live hold in its one call.
 */
export class TransportHolds1764501000000 implements MigrationInterface {
  name = 'TransportHolds1764501000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referral_id uuid NOT NULL REFERENCES referrals (id),
        house_id uuid NOT NULL REFERENCES houses (id),
        -- The beds in the family's order (the woman's first), kept after the hold ends.
        bed_ids uuid[] NOT NULL CHECK (cardinality(bed_ids) > 0),
        status text NOT NULL DEFAULT 'held'
          CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired')),
        held_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        held_by uuid REFERENCES users (id),
        settled_at timestamptz,
        stay_id uuid REFERENCES stays (id),
        CHECK (expires_at > held_at),
        CHECK ((status = 'held') = (settled_at IS NULL)),
        CHECK ((status = 'confirmed') = (stay_id IS NOT NULL)),
        CONSTRAINT holds_one_live_per_referral
          EXCLUDE USING gist (referral_id WITH =, tstzrange(held_at, expires_at, '[)') WITH &&)
          WHERE (status = 'held')
      )`);
    await queryRunner.query(
      `CREATE INDEX holds_held_expiry_idx ON holds (expires_at) WHERE status = 'held'`,
    );
    await queryRunner.query(`CREATE INDEX holds_house_idx ON holds (house_id, held_at DESC)`);

    await queryRunner.query(`
      ALTER TABLE stay_occupants
        ADD COLUMN hold_id uuid REFERENCES holds (id),
        ALTER COLUMN stay_id DROP NOT NULL,
        ADD CONSTRAINT stay_occupants_stay_or_hold CHECK (num_nonnulls(stay_id, hold_id) = 1),
        ADD CONSTRAINT stay_occupants_hold_ends CHECK (hold_id IS NULL OR NOT upper_inf(during))`);
    await queryRunner.query(
      `CREATE INDEX stay_occupants_hold_idx ON stay_occupants (hold_id) WHERE hold_id IS NOT NULL`,
    );

    // A hold row belongs to its hold: the hold's family, house, and no earlier than the hold.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION stay_occupants_belong_to_stay() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.hold_id IS NOT NULL THEN
          IF NOT EXISTS (
            SELECT 1 FROM holds h JOIN referral_people p ON p.referral_id = h.referral_id
            WHERE h.id = NEW.hold_id AND p.id = NEW.person_id AND p.role = NEW.role
              AND h.house_id = NEW.house_id AND lower(NEW.during) >= h.held_at
              AND upper(NEW.during) <= h.expires_at
          ) THEN
            RAISE EXCEPTION 'occupant does not belong to the hold, its house or its time'
              USING ERRCODE = 'check_violation', CONSTRAINT = 'stay_occupants_belong_to_stay';
          END IF;
        ELSIF NOT EXISTS (
          SELECT 1 FROM stays s JOIN referral_people p ON p.referral_id = s.referral_id
          WHERE s.id = NEW.stay_id AND p.id = NEW.person_id AND p.role = NEW.role
            AND s.house_id = NEW.house_id AND lower(NEW.during) >= s.admitted_at
        ) THEN
          RAISE EXCEPTION 'occupant does not belong to the stay, its house or its time'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stay_occupants_belong_to_stay';
        END IF;
        RETURN NEW;
      END $$`);

    // One hold_expiring alert per hold, by its unique key (the alerts' one-alert-per-source rule).
    await queryRunner.query(`
      ALTER TABLE alerts
        ADD COLUMN hold_id uuid UNIQUE REFERENCES holds (id),
        ADD CONSTRAINT alerts_hold_expiring_has_hold
          CHECK ((kind = 'hold_expiring') = (hold_id IS NOT NULL))`);

    await queryRunner.query(FREE_ROOMS);
    await queryRunner.query(REQUEST_CHECK);
    await queryRunner.query(CHOOSE_BEDS);
    await queryRunner.query(HOLD);
    await queryRunner.query(ADMIT);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ${ADMIT_SIGNATURE}`);
    await queryRunner.query(PREVIOUS_ADMIT);
    await queryRunner.query(
      `DROP FUNCTION holds_place(uuid, uuid, uuid[], integer, timestamptz, uuid, text, text)`,
    );
    await queryRunner.query(
      `DROP FUNCTION stays_choose_beds(int, boolean, uuid, uuid[], timestamptz, timestamptz)`,
    );
    await queryRunner.query(`DROP FUNCTION stays_request_check(int, uuid, uuid[])`);
    await queryRunner.query(PREVIOUS_FREE_ROOMS);
    await queryRunner.query(`
      ALTER TABLE alerts DROP CONSTRAINT alerts_hold_expiring_has_hold, DROP COLUMN hold_id`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION stay_occupants_belong_to_stay() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM stays s JOIN referral_people p ON p.referral_id = s.referral_id
          WHERE s.id = NEW.stay_id AND p.id = NEW.person_id AND p.role = NEW.role
            AND s.house_id = NEW.house_id AND lower(NEW.during) >= s.admitted_at
        ) THEN
          RAISE EXCEPTION 'occupant does not belong to the stay, its house or its time'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stay_occupants_belong_to_stay';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`DELETE FROM stay_occupants WHERE hold_id IS NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE stay_occupants
        DROP CONSTRAINT stay_occupants_hold_ends,
        DROP CONSTRAINT stay_occupants_stay_or_hold,
        ALTER COLUMN stay_id SET NOT NULL,
        DROP COLUMN hold_id`);
    await queryRunner.query(`DROP TABLE holds`);
  }
}

/** Free beds per room, as AdmissionInOneCall wrote it, less the live holds at the present. */
const FREE_ROOMS = `
  CREATE OR REPLACE FUNCTION stays_free_rooms(p_from timestamptz, p_now timestamptz, p_house uuid)
  RETURNS TABLE (house_id uuid, house_code text, room_id uuid, room_position int,
                 wheelchair_accessible boolean, free_beds int)
  LANGUAGE sql STABLE AS $$
    SELECT h.id, h.code, r.id, r.position, r.wheelchair_accessible,
           r.beds_in_service - r.beds_held - coalesce(held.beds, 0)
    FROM rooms r JOIN houses h ON h.id = r.house_id
    LEFT JOIN (SELECT b.room_id, count(*)::int AS beds
               FROM stay_occupants o JOIN beds b ON b.id = o.bed_id
               WHERE o.hold_id IS NOT NULL AND upper(o.during) > p_now
               GROUP BY b.room_id) held ON held.room_id = r.id
    WHERE p_from = p_now AND h.active
      AND r.beds_in_service > r.beds_held + coalesce(held.beds, 0)
      AND (p_house IS NULL OR r.house_id = p_house)
    UNION ALL
    SELECT h.id, h.code, r.id, r.position, r.wheelchair_accessible, count(*)::int
    FROM stays_free_beds(p_from, p_house) f
    JOIN rooms r ON r.id = f.room_id
    JOIN houses h ON h.id = f.house_id
    WHERE p_from IS DISTINCT FROM p_now
    GROUP BY h.id, h.code, r.id, r.position, r.wheelchair_accessible
  $$`;

const PREVIOUS_FREE_ROOMS = `
  CREATE OR REPLACE FUNCTION stays_free_rooms(p_from timestamptz, p_now timestamptz, p_house uuid)
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
  $$`;

/** The request's own mistakes, checked before the referral's state (API.md's conventions). */
const REQUEST_CHECK = `
  CREATE FUNCTION stays_request_check(p_size int, p_house uuid, p_bed_ids uuid[])
  RETURNS text LANGUAGE plpgsql STABLE AS $$
  BEGIN
    IF p_bed_ids IS NOT NULL AND cardinality(p_bed_ids) <> p_size THEN
      RETURN 'beds_count';
    END IF;
    IF p_house IS NOT NULL AND NOT EXISTS (SELECT 1 FROM houses h WHERE h.id = p_house) THEN
      RETURN 'not_a_house';
    END IF;
    RETURN NULL;
  END $$`;

/**
 * Where a family of p_size goes from p_from on, with the locks that keep it so until the
 * caller commits: the named house (and beds), or the best house that can take it. Moved here
 * unchanged from the admission, so that a hold and an admission place a family alike. Without a
 * named house it tries the houses best first, each under a lock taken with SKIP LOCKED, and
 * waits for a busy house only when no free one can take the family; a house found full once
 * locked is let go at once (the block's subtransaction rolls back), so the call never holds two
 * house locks. 'retry': a bed it chose changed between the ranking and its lock.
 */
const CHOOSE_BEDS = `
  CREATE FUNCTION stays_choose_beds(p_size int, p_wheelchair boolean, p_house uuid,
                                    p_bed_ids uuid[], p_from timestamptz, p_now timestamptz)
  RETURNS TABLE (outcome text, house_id uuid, bed_ids uuid[], detail text)
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
  DECLARE
    v_house uuid;
    v_beds uuid[];
    v_busy uuid[] := '{}';
    v_candidate uuid;
    v_wait boolean;
    v_count int;
  BEGIN
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
          RETURN QUERY SELECT 'bed_not_in_house', NULL::uuid, NULL::uuid[], NULL::text;
          RETURN;
        END IF;
        SELECT count(*) INTO v_count FROM stays_unavailable_beds(p_bed_ids, p_from);
        IF v_count > 0 THEN
          RETURN QUERY SELECT 'bed_occupied', NULL::uuid, NULL::uuid[], v_count::text;
          RETURN;
        END IF;
        RETURN QUERY SELECT 'chosen', v_house, p_bed_ids, NULL::text;
        RETURN;
      END IF;
      SELECT pl.bed_ids INTO v_beds
      FROM stays_placement(p_size, p_wheelchair, p_from, p_now, p_house) pl;
      IF v_beds IS NULL THEN
        RETURN QUERY SELECT 'no_capacity', NULL::uuid, NULL::uuid[], 'house'::text;
        RETURN;
      END IF;
    ELSE
      FOR v_wait IN SELECT unnest(ARRAY[false, true]) LOOP
        FOR v_candidate IN
          SELECT k.house_id
          FROM (SELECT array_agg(f.house_id) AS houses, array_agg(f.house_code) AS codes,
                       array_agg(f.room_id) AS rooms, array_agg(f.room_position) AS positions,
                       array_agg(f.wheelchair_accessible) AS accessible,
                       array_agg(f.free_beds) AS free
                FROM stays_free_rooms(p_from, p_now, NULL) f) a,
               stays_rank_houses(p_size, p_wheelchair, a.houses, a.codes, a.rooms, a.positions,
                                 a.accessible, a.free) k
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
            FROM stays_placement(p_size, p_wheelchair, p_from, p_now, v_candidate) pl;
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
        RETURN QUERY SELECT 'no_capacity', NULL::uuid, NULL::uuid[], 'network'::text;
        RETURN;
      END IF;
    END IF;

    IF cardinality(v_beds) <> p_size THEN
      RETURN QUERY SELECT 'retry', NULL::uuid, NULL::uuid[], NULL::text;
      RETURN;
    END IF;
    -- A bed taken out of service between the ranking and our lock sends the call round again.
    PERFORM 1 FROM beds b WHERE b.id = ANY (v_beds) ORDER BY b.id FOR NO KEY UPDATE;
    IF EXISTS (SELECT 1 FROM stays_unavailable_beds(v_beds, p_from)) THEN
      RETURN QUERY SELECT 'retry', NULL::uuid, NULL::uuid[], NULL::text;
      RETURN;
    END IF;
    RETURN QUERY SELECT 'chosen', v_house, v_beds, NULL::text;
  END $$`;

/**
 * A transport hold, in one call like the admission: the referral locked (so a hold and an
 * admission of one referral take turns), the same checks and placement as the admission, the
 * hold, its ledger rows over [now, expiresAt) and the audit event. A second live hold of the
 * referral is refused here, and by the exclusion on holds under any concurrency.
 */
const HOLD = `
  CREATE FUNCTION holds_place(
    p_referral uuid, p_house uuid, p_bed_ids uuid[], p_minutes integer, p_now timestamptz,
    p_actor uuid, p_actor_role text, p_request_id text)
  RETURNS TABLE (outcome text, hold_id uuid, detail text)
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
  DECLARE
    v_referral record;
    v_family uuid[];
    v_roles text[];
    v_check text;
    v_choice record;
    v_hold uuid;
    v_expires timestamptz := p_now + make_interval(mins => p_minutes);
  BEGIN
    SELECT r.id, r.status, r.wheelchair_accessible INTO v_referral
    FROM referrals r WHERE r.id = p_referral FOR NO KEY UPDATE;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'referral_not_found', NULL::uuid, NULL::text;
      RETURN;
    END IF;
    SELECT array_agg(p.id ORDER BY p.position), array_agg(p.role ORDER BY p.position)
      INTO v_family, v_roles
    FROM referral_people p WHERE p.referral_id = p_referral;
    v_check := stays_request_check(cardinality(v_family), p_house, p_bed_ids);
    IF v_check IS NOT NULL THEN
      RETURN QUERY SELECT v_check, NULL::uuid, cardinality(v_family)::text;
      RETURN;
    END IF;
    IF v_referral.status IN ('admitted', 'exited') THEN
      RETURN QUERY SELECT 'already_admitted', NULL::uuid, NULL::text;
      RETURN;
    ELSIF v_referral.status <> 'received' THEN
      RETURN QUERY SELECT 'invalid_state', NULL::uuid, v_referral.status::text;
      RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM holds h WHERE h.referral_id = p_referral AND h.status = 'held'
                                         AND h.expires_at > p_now) THEN
      RETURN QUERY SELECT 'already_held', NULL::uuid, NULL::text;
      RETURN;
    END IF;

    SELECT * INTO v_choice
    FROM stays_choose_beds(cardinality(v_family), v_referral.wheelchair_accessible, p_house,
                           p_bed_ids, p_now, p_now);
    IF v_choice.outcome <> 'chosen' THEN
      RETURN QUERY SELECT v_choice.outcome, NULL::uuid, v_choice.detail;
      RETURN;
    END IF;

    INSERT INTO holds (referral_id, house_id, bed_ids, held_at, expires_at, held_by)
    VALUES (p_referral, v_choice.house_id, v_choice.bed_ids, p_now, v_expires, p_actor)
    RETURNING id INTO v_hold;
    -- Time is part of the claim: the interval ends at expiresAt, and the beds with it.
    INSERT INTO stay_occupants (hold_id, person_id, role, house_id, bed_id, during)
    SELECT v_hold, o.person_id, o.role, v_choice.house_id, o.bed_id,
           tstzrange(p_now, v_expires, '[)')
    FROM unnest(v_family, v_roles, v_choice.bed_ids) AS o (person_id, role, bed_id);
    INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id,
                              request_id, details)
    VALUES (p_actor, p_actor_role, 'hold.created', 'hold', v_hold, p_request_id,
            jsonb_build_object('referralId', p_referral, 'houseId', v_choice.house_id,
                               'people', cardinality(v_family), 'minutes', p_minutes));
    RETURN QUERY SELECT 'held', v_hold, NULL::text;
  END $$`;

/**
 * The admission (as AdmissionInOneCall wrote it, its placement now in stays_choose_beds) that
 * confirms the referral's live hold: without other bedIds (or another house) she gets the held
 * beds. The hold's ledger rows are deleted and the stay's inserted in this one transaction, with
 * the hold locked: another request waiting on those beds sees either the hold or the stay,
 * never a moment with neither. Rows of a hold of hers that lapsed unnoticed go too, so that a
 * back-dated admission does not trip on them; the sweep still records that hold as expired.
 */
const ADMIT = `
  CREATE OR REPLACE FUNCTION stays_admit(
    p_referral uuid, p_house uuid, p_bed_ids uuid[], p_admitted_at timestamptz,
    p_now timestamptz, p_time_zone text, p_term_ends_at timestamptz, p_max_ends_at timestamptz,
    p_alert_kinds text[], p_alert_due timestamptz[], p_actor uuid, p_actor_role text,
    p_request_id text)
  RETURNS TABLE (outcome text, stay_id uuid, detail text, cancelled_follow_ups int)
  LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan
  AS $$
  DECLARE
    v_referral record;
    v_family uuid[];
    v_roles text[];
    v_check text;
    v_hold record;
    v_house uuid := p_house;
    v_bed_ids uuid[] := p_bed_ids;
    v_choice record;
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
    v_check := stays_request_check(cardinality(v_family), p_house, p_bed_ids);
    IF v_check IS NOT NULL THEN
      RETURN QUERY SELECT v_check, NULL::uuid, cardinality(v_family)::text, 0;
      RETURN;
    END IF;
    IF v_referral.status IN ('admitted', 'exited') THEN
      RETURN QUERY SELECT 'already_admitted', NULL::uuid, NULL::text, 0;
      RETURN;
    ELSIF v_referral.status <> 'received' THEN
      RETURN QUERY SELECT 'invalid_state', NULL::uuid, v_referral.status::text, 0;
      RETURN;
    END IF;

    SELECT h.id, h.house_id, h.bed_ids INTO v_hold
    FROM holds h
    WHERE h.referral_id = p_referral AND h.status = 'held' AND h.expires_at > p_now
    FOR NO KEY UPDATE;
    IF v_hold.id IS NOT NULL AND p_bed_ids IS NULL
       AND (p_house IS NULL OR p_house = v_hold.house_id) THEN
      v_house := v_hold.house_id;
      v_bed_ids := v_hold.bed_ids;
    END IF;
    BEGIN
      DELETE FROM stay_occupants o USING holds h
      WHERE o.hold_id = h.id AND h.referral_id = p_referral AND h.status = 'held';
      SELECT * INTO v_choice
      FROM stays_choose_beds(cardinality(v_family), v_referral.wheelchair_accessible, v_house,
                             v_bed_ids, p_admitted_at, p_now);
      IF v_choice.outcome <> 'chosen' THEN
        RAISE EXCEPTION USING ERRCODE = 'RF002';
      END IF;
    EXCEPTION WHEN SQLSTATE 'RF002' THEN
      -- Refused: rolling the block back gives her hold its beds again.
      RETURN QUERY SELECT v_choice.outcome, NULL::uuid, v_choice.detail, 0;
      RETURN;
    END;

    INSERT INTO stays (referral_id, house_id, admitted_at, term_ends_at, max_ends_at,
                       last_moved_at, admitted_by, created_at, updated_at)
    VALUES (p_referral, v_choice.house_id, p_admitted_at, p_term_ends_at, p_max_ends_at,
            p_admitted_at, p_actor, p_now, p_now)
    RETURNING id INTO v_stay;
    -- One interval [admitted, ∞) per person, the woman's first; the exclusion constraints are
    -- the last word on a bed given twice.
    INSERT INTO stay_occupants (stay_id, person_id, role, house_id, bed_id, during)
    SELECT v_stay, o.person_id, o.role, v_choice.house_id, o.bed_id,
           tstzrange(p_admitted_at, NULL, '[)')
    FROM unnest(v_family, v_roles, v_choice.bed_ids) AS o (person_id, role, bed_id);
    IF NOT referrals_mark_admitted(p_referral, p_admitted_at, p_now) THEN
      RAISE EXCEPTION 'the referral was admitted meanwhile'
        USING ERRCODE = 'unique_violation', CONSTRAINT = 'stays_one_active_per_referral';
    END IF;
    IF v_hold.id IS NOT NULL THEN
      UPDATE holds SET status = 'confirmed', stay_id = v_stay, settled_at = p_now
      WHERE id = v_hold.id;
      INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id,
                                request_id, details)
      VALUES (p_actor, p_actor_role, 'hold.confirmed', 'hold', v_hold.id, p_request_id,
              jsonb_build_object('stayId', v_stay, 'heldBeds', v_bed_ids = v_hold.bed_ids));
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
            jsonb_build_object('referralId', p_referral, 'houseId', v_choice.house_id,
                               'people', cardinality(v_family),
                               'backdated', p_admitted_at <> p_now));
    RETURN QUERY SELECT 'admitted', v_stay, NULL::text, v_cancelled;
  END $$`;
