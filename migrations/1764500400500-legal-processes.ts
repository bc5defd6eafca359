import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The socio-legal line: legal processes of a stay, every change to them (who, when, what), and
 * the hearing alerts they schedule. Authority, case number and notes are encrypted by the
 * application. `hearing_alerts` is an outbox exactly like `term_alerts`: the relay puts its
 * pending rows into BullMQ (by Redis epoch), the job settles a row once and raises one alert.
 */
export class LegalProcesses1764500400500 implements MigrationInterface {
  name = 'LegalProcesses1764500400500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE legal_processes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        kind text NOT NULL CHECK (kind IN ('protection_order', 'criminal_complaint', 'custody',
          'child_support', 'divorce', 'other')),
        authority text NOT NULL,
        case_number text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'order_granted', 'order_modified',
          'order_breached', 'closed')),
        next_hearing_at timestamptz,
        note text,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX legal_processes_stay_idx ON legal_processes (stay_id, created_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE legal_process_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        legal_process_id uuid NOT NULL REFERENCES legal_processes (id),
        action text NOT NULL CHECK (action IN ('created', 'updated')),
        -- The fields this change set, by name; the values below are the new ones.
        changed text[] NOT NULL,
        status text,
        next_hearing_at timestamptz,
        note text,
        changed_by uuid NOT NULL REFERENCES users (id),
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX legal_process_changes_process_idx ON legal_process_changes (legal_process_id, changed_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE hearing_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        legal_process_id uuid NOT NULL REFERENCES legal_processes (id),
        hearing_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'cancelled')),
        sent_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text CHECK (cancel_reason IN ('rescheduled', 'stale')),
        relayed_epoch text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (due_at = hearing_at - interval '24 hours'),
        CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
      )`);
    // One pending hearing alert per process: a new date cancels the old alert before it inserts.
    await queryRunner.query(
      `CREATE UNIQUE INDEX hearing_alerts_one_pending ON hearing_alerts (legal_process_id) WHERE status = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX hearing_alerts_scheduled_due_idx ON hearing_alerts (due_at) WHERE status = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX hearing_alerts_unrelayed ON hearing_alerts (due_at)
       WHERE status = 'scheduled' AND relayed_epoch IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX hearing_alerts_relayed_epoch ON hearing_alerts (relayed_epoch, due_at)
       WHERE status = 'scheduled'`,
    );
    await queryRunner.query(`
      CREATE FUNCTION hearing_alerts_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> NEW.status AND OLD.status <> 'scheduled' THEN
          RAISE EXCEPTION 'hearing alert status cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.due_at <> OLD.due_at OR NEW.hearing_at <> OLD.hearing_at THEN
          RAISE EXCEPTION 'a hearing alert is never moved; cancel it and place a new one'
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER hearing_alerts_status_transition BEFORE UPDATE ON hearing_alerts
      FOR EACH ROW EXECUTE FUNCTION hearing_alerts_status_transition()`);

    await queryRunner.query(`
      ALTER TABLE alerts
        ADD FOREIGN KEY (hearing_alert_id) REFERENCES hearing_alerts (id),
        ADD FOREIGN KEY (legal_process_id) REFERENCES legal_processes (id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM alerts WHERE kind = 'hearing_soon'`);
    await queryRunner.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_hearing_alert_id_fkey`);
    await queryRunner.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_legal_process_id_fkey`);
    await queryRunner.query(`DROP TABLE hearing_alerts`);
    await queryRunner.query(`DROP FUNCTION hearing_alerts_status_transition()`);
    await queryRunner.query(`DROP TABLE legal_process_changes`);
    await queryRunner.query(`DROP TABLE legal_processes`);
  }
}
