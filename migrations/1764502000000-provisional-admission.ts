import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provisional admission (Ley 2215 de 2022, art. 6 par. 1): staff may record a referral with no
 * protection order yet, with a reason (`provisional_reason`, encrypted by the application), and
 * attach the order later. The database keeps refusing everything it refused before: a referral
 * has either the whole order or none of it, and none only when staff recorded it provisionally;
 * a stay is still only for a received referral, and never before its order's day when it has one.
 *
 * A provisional stay gets `order_due_by` (its admission plus the hours fixed on the referral when
 * it was recorded) and one pending `order_alerts` row, written by triggers on the stay's INSERT,
 * so that every admission path (`stays_admit` and whatever replaces it) does it in its own
 * transaction. `order_alerts` is an outbox exactly like `hearing_alerts`: the relay puts its
 * pending rows into BullMQ, the job settles a row once and raises one `order_overdue` alert.
 */
export class ProvisionalAdmission1764502000000 implements MigrationInterface {
  name = 'ProvisionalAdmission1764502000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE referrals
        ALTER COLUMN protection_order_number DROP NOT NULL,
        ALTER COLUMN protection_order_authority_type DROP NOT NULL,
        ALTER COLUMN protection_order_authority_name DROP NOT NULL,
        ALTER COLUMN protection_order_issued_at DROP NOT NULL,
        ADD COLUMN provisional_reason text,
        ADD COLUMN provisional_order_hours smallint CHECK (provisional_order_hours BETWEEN 1 AND 720),
        ADD COLUMN order_attached_at timestamptz,
        ADD CONSTRAINT referrals_order_or_provisional CHECK (
          (protection_order_number IS NOT NULL AND protection_order_authority_type IS NOT NULL
           AND protection_order_authority_name IS NOT NULL AND protection_order_issued_at IS NOT NULL)
          OR (protection_order_number IS NULL AND protection_order_authority_type IS NULL
              AND protection_order_authority_name IS NULL AND protection_order_issued_at IS NULL
              AND provisional_reason IS NOT NULL AND referrer_id IS NULL)),
        ADD CONSTRAINT referrals_provisional_hours
          CHECK ((provisional_reason IS NULL) = (provisional_order_hours IS NULL)),
        ADD CONSTRAINT referrals_order_attached_to_provisional
          CHECK (order_attached_at IS NULL
                 OR (provisional_reason IS NOT NULL AND protection_order_number IS NOT NULL))`);

    await queryRunner.query(`
      ALTER TABLE stays
        ADD COLUMN provisional boolean NOT NULL DEFAULT false,
        ADD COLUMN order_due_by timestamptz,
        ADD CONSTRAINT stays_provisional_has_due CHECK (NOT provisional OR order_due_by IS NOT NULL),
        ADD CONSTRAINT stays_order_due_after_admission
          CHECK (order_due_by IS NULL OR order_due_by > admitted_at)`);

    // As before for a referral with an order; a provisional one (no order, a reason) has no
    // order's day to respect. Anything else still has no stay.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION stays_admissible_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM referrals r
          WHERE r.id = NEW.referral_id
            AND r.status = 'received'
            AND ((length(btrim(r.protection_order_number)) > 0
                  AND length(btrim(r.protection_order_authority_name)) > 0
                  AND r.protection_order_authority_type IS NOT NULL
                  AND r.protection_order_issued_at IS NOT NULL
                  AND NEW.admitted_at >= (r.protection_order_issued_at::timestamp AT TIME ZONE 'Pacific/Kiritimati'))
                 OR (r.protection_order_number IS NULL
                     AND r.protection_order_authority_type IS NULL
                     AND r.protection_order_authority_name IS NULL
                     AND r.protection_order_issued_at IS NULL
                     AND r.provisional_reason IS NOT NULL
                     AND r.provisional_order_hours IS NOT NULL))
        ) THEN
          RAISE EXCEPTION 'stay for a referral that cannot be admitted'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stays_admissible_referral';
        END IF;
        RETURN NEW;
      END $$`);

    // The stay of a referral still without its order is provisional, whatever the INSERT says.
    await queryRunner.query(`
      CREATE FUNCTION stays_provisional_order() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_hours smallint;
      BEGIN
        SELECT r.provisional_order_hours INTO v_hours FROM referrals r
        WHERE r.id = NEW.referral_id AND r.protection_order_number IS NULL;
        NEW.provisional := v_hours IS NOT NULL;
        NEW.order_due_by := CASE WHEN v_hours IS NOT NULL
                                 THEN NEW.admitted_at + make_interval(hours => v_hours) END;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER stays_provisional_order BEFORE INSERT ON stays
      FOR EACH ROW EXECUTE FUNCTION stays_provisional_order()`);

    await queryRunner.query(`
      CREATE TABLE order_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL UNIQUE REFERENCES stays (id),
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'cancelled')),
        sent_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text CHECK (cancel_reason IN ('order_attached', 'stale')),
        relayed_epoch text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX order_alerts_scheduled_due_idx ON order_alerts (due_at) WHERE status = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX order_alerts_unrelayed ON order_alerts (due_at)
       WHERE status = 'scheduled' AND relayed_epoch IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX order_alerts_relayed_epoch ON order_alerts (relayed_epoch, due_at)
       WHERE status = 'scheduled'`,
    );
    await queryRunner.query(`
      CREATE FUNCTION stays_schedule_order_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO order_alerts (stay_id, due_at, created_at)
        VALUES (NEW.id, NEW.order_due_by, NEW.created_at);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER stays_schedule_order_alert AFTER INSERT ON stays
      FOR EACH ROW WHEN (NEW.provisional) EXECUTE FUNCTION stays_schedule_order_alert()`);

    // One order_overdue alert per order alert, so per stay. The source is required of no kind
    // (order_overdue rows written before this migration, or by hand, have none), and belongs to
    // order_overdue alerts only.
    await queryRunner.query(`
      ALTER TABLE alerts
        ADD COLUMN order_alert_id uuid UNIQUE REFERENCES order_alerts (id),
        ADD CONSTRAINT alerts_order_overdue_source
          CHECK (order_alert_id IS NULL OR kind = 'order_overdue')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE alerts DROP CONSTRAINT alerts_order_overdue_source, DROP COLUMN order_alert_id`,
    );
    await queryRunner.query(`DROP TRIGGER stays_schedule_order_alert ON stays`);
    await queryRunner.query(`DROP FUNCTION stays_schedule_order_alert()`);
    await queryRunner.query(`DROP TABLE order_alerts`);
    await queryRunner.query(`DROP TRIGGER stays_provisional_order ON stays`);
    await queryRunner.query(`DROP FUNCTION stays_provisional_order()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION stays_admissible_referral() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM referrals r
          WHERE r.id = NEW.referral_id
            AND r.status = 'received'
            AND length(btrim(r.protection_order_number)) > 0
            AND length(btrim(r.protection_order_authority_name)) > 0
            AND r.protection_order_authority_type IS NOT NULL
            AND r.protection_order_issued_at IS NOT NULL
            AND NEW.admitted_at >= (r.protection_order_issued_at::timestamp AT TIME ZONE 'Pacific/Kiritimati')
        ) THEN
          RAISE EXCEPTION 'stay for a referral that cannot be admitted'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stays_admissible_referral';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      ALTER TABLE stays
        DROP CONSTRAINT stays_order_due_after_admission,
        DROP CONSTRAINT stays_provisional_has_due,
        DROP COLUMN order_due_by,
        DROP COLUMN provisional`);
    await queryRunner.query(`
      ALTER TABLE referrals
        DROP CONSTRAINT referrals_order_attached_to_provisional,
        DROP CONSTRAINT referrals_provisional_hours,
        DROP CONSTRAINT referrals_order_or_provisional,
        DROP COLUMN order_attached_at,
        DROP COLUMN provisional_order_hours,
        DROP COLUMN provisional_reason,
        ALTER COLUMN protection_order_number SET NOT NULL,
        ALTER COLUMN protection_order_authority_type SET NOT NULL,
        ALTER COLUMN protection_order_authority_name SET NOT NULL,
        ALTER COLUMN protection_order_issued_at SET NOT NULL`);
  }
}
