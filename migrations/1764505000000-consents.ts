import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent per purpose (Ley 1581 de 2012, API.md "Data protection"): an append-only history per
 * stay; the current state of a purpose is its latest row, and a grant past its expiry counts as
 * not granted. `version` numbers a purpose's rows: its writer holds the stay's lock, and the
 * unique key makes "one latest row" a database fact even if a writer forgot the lock.
 *
 * Egress reads it: `follow_ups_schedule_after_egress` (called by `stays_egress`, whose own body
 * does not change) is replaced here so that it schedules nothing without a current
 * `follow_up_contact` grant, and nothing due after the grant's expiry.
 */
export class Consents1764505000000 implements MigrationInterface {
  name = 'Consents1764505000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        purpose text NOT NULL CHECK (purpose IN ('follow_up_contact', 'share_with_authority')),
        version int NOT NULL CHECK (version >= 1),
        granted boolean NOT NULL,
        -- The last day (in TZ_SERVICE) the grant holds, as staff wrote it ...
        expires_on date,
        -- ... and the first instant after that day there, so SQL compares instants only.
        expires_at timestamptz,
        recorded_at timestamptz NOT NULL,
        recorded_by uuid NOT NULL REFERENCES users (id),
        UNIQUE (stay_id, purpose, version),
        CHECK ((expires_on IS NULL) = (expires_at IS NULL)),
        CHECK (granted OR expires_on IS NULL)
      )`);
    // History is evidence of what she authorised and when: never rewritten, only appended to.
    await queryRunner.query(`
      CREATE FUNCTION consents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'consents is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER consents_no_update_delete BEFORE UPDATE OR DELETE ON consents
      FOR EACH ROW EXECUTE FUNCTION consents_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER consents_no_truncate BEFORE TRUNCATE ON consents
      FOR EACH STATEMENT EXECUTE FUNCTION consents_append_only()`);

    await queryRunner.query(
      `ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_cancel_reason_check`,
    );
    await queryRunner.query(`
      ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_cancel_reason_check
        CHECK (cancel_reason IN ('readmitted', 'consent_withdrawn', 'consent_expired'))`);

    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION follow_ups_schedule_after_egress(
        p_stay uuid, p_house uuid, p_referral uuid, p_sequences smallint[], p_offsets text[],
        p_due timestamptz[], p_now timestamptz)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_consent record;
      BEGIN
        UPDATE term_alerts SET status = 'cancelled', cancelled_at = p_now, cancel_reason = 'egress'
        WHERE stay_id = p_stay AND status = 'scheduled';
        SELECT c.granted, c.expires_at INTO v_consent
        FROM consents c WHERE c.stay_id = p_stay AND c.purpose = 'follow_up_contact'
        ORDER BY c.version DESC LIMIT 1;
        IF NOT FOUND OR NOT v_consent.granted OR v_consent.expires_at <= p_now THEN
          RETURN;
        END IF;
        INSERT INTO follow_ups (stay_id, house_id, referral_id, sequence, offset_after_egress, due_at)
        SELECT p_stay, p_house, p_referral, p.sequence, p.offset_after_egress, p.due_at
        FROM unnest(p_sequences, p_offsets, p_due) AS p (sequence, offset_after_egress, due_at)
        WHERE v_consent.expires_at IS NULL OR p.due_at < v_consent.expires_at
        ON CONFLICT (stay_id, sequence) DO NOTHING;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION follow_ups_schedule_after_egress(
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
    await queryRunner.query(
      `ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_cancel_reason_check`,
    );
    await queryRunner.query(`
      ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_cancel_reason_check
        CHECK (cancel_reason IN ('readmitted'))`);
    await queryRunner.query(`DROP TABLE consents`);
    await queryRunner.query(`DROP FUNCTION consents_append_only()`);
  }
}
