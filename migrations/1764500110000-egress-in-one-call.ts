import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Egress in one round trip, as the admission (see AdmissionInOneCall): the stay exited, its
 * ledger intervals closed (the beds are free at once), the referral exited, the term alerts
 * cancelled, the follow-ups written (the outbox the relay feeds the queue from) and the audit
 * event, in one call that holds the stay's lock only for the time Postgres needs.
 */
export class EgressInOneCall1764500110000 implements MigrationInterface {
  name = 'EgressInOneCall1764500110000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The referrals feature's one writer of this move (with referrals_mark_admitted).
    await queryRunner.query(`
      CREATE FUNCTION referrals_mark_exited(p_referral uuid, p_exited_at timestamptz,
                                            p_now timestamptz)
      RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE referrals SET status = 'exited', exited_at = p_exited_at, updated_at = p_now
        WHERE id = p_referral AND status = 'admitted';
        RETURN FOUND;
      END $$`);

    // The follow-ups feature's rule at egress, called by the egress and by its repository:
    // pending term alerts cancelled, one follow-up per planned offset (idempotent per sequence).
    await queryRunner.query(`
      CREATE FUNCTION follow_ups_schedule_after_egress(
        p_stay uuid, p_house uuid, p_referral uuid, p_sequences smallint[], p_offsets text[],
        p_due timestamptz[], p_now timestamptz)
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE term_alerts SET status = 'cancelled', cancelled_at = p_now, cancel_reason = 'egress'
        WHERE stay_id = p_stay AND status = 'scheduled';
        INSERT INTO follow_ups (stay_id, house_id, referral_id, sequence, offset_after_egress, due_at)
        SELECT p_stay, p_house, p_referral, p.sequence, p.offset_after_egress, p.due_at
        FROM unnest(p_sequences, p_offsets, p_due) AS p (sequence, offset_after_egress, due_at)
        ON CONFLICT (stay_id, sequence) DO NOTHING;
      END $$`);

    // Answers an outcome when it refuses before writing; raises (RF002) when the referral
    // turns out not admitted after the stay changed, so that the call rolls back whole.
    await queryRunner.query(`
      CREATE FUNCTION stays_egress(
        p_stay uuid, p_scope_house uuid, p_exited_at timestamptz, p_now timestamptz,
        p_reason text, p_destination text, p_notes text, p_sequences smallint[],
        p_offsets text[], p_due timestamptz[], p_actor uuid, p_actor_role text,
        p_request_id text)
      RETURNS TABLE (outcome text, beds_freed int)
      LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
      DECLARE
        v_stay record;
        v_freed int;
      BEGIN
        SELECT s.id, s.referral_id, s.house_id, s.last_moved_at INTO v_stay
        FROM stays s WHERE s.id = p_stay FOR NO KEY UPDATE;
        -- A coordinator's scope: another house's stay answers as a missing one.
        IF NOT FOUND OR (p_scope_house IS NOT NULL AND v_stay.house_id <> p_scope_house) THEN
          RETURN QUERY SELECT 'stay_not_found', 0;
          RETURN;
        END IF;
        IF p_exited_at <= v_stay.last_moved_at THEN
          RETURN QUERY SELECT 'before_last_move', 0;
          RETURN;
        END IF;
        UPDATE stays SET status = 'exited', exited_at = p_exited_at, egress_reason = p_reason,
                         egress_destination = p_destination, egress_notes = p_notes,
                         exited_by = p_actor, updated_at = p_now
        WHERE id = p_stay AND status = 'active';
        IF NOT FOUND THEN
          RETURN QUERY SELECT 'not_active', 0;
          RETURN;
        END IF;
        UPDATE stay_occupants SET during = tstzrange(lower(during), p_exited_at, '[)')
        WHERE stay_id = p_stay AND upper_inf(during);
        GET DIAGNOSTICS v_freed = ROW_COUNT;
        IF NOT referrals_mark_exited(v_stay.referral_id, p_exited_at, p_now) THEN
          RAISE EXCEPTION 'the referral of the stay is not admitted' USING ERRCODE = 'RF002';
        END IF;
        PERFORM follow_ups_schedule_after_egress(p_stay, v_stay.house_id, v_stay.referral_id,
                                                 p_sequences, p_offsets, p_due, p_now);
        INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id,
                                  request_id, details)
        VALUES (p_actor, p_actor_role, 'stay.exited', 'stay', p_stay, p_request_id,
                jsonb_build_object('houseId', v_stay.house_id, 'reason', p_reason,
                                   'bedsFreed', v_freed));
        RETURN QUERY SELECT 'exited', v_freed;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION stays_egress(uuid, uuid, timestamptz, timestamptz, text, text, text,
                                  smallint[], text[], timestamptz[], uuid, text, text)`,
    );
    await queryRunner.query(
      `DROP FUNCTION follow_ups_schedule_after_egress(uuid, uuid, uuid, smallint[], text[],
                                                      timestamptz[], timestamptz)`,
    );
    await queryRunner.query(`DROP FUNCTION referrals_mark_exited(uuid, timestamptz, timestamptz)`);
  }
}
