import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up after egress, term alerts and the reminders they record. Postgres is the truth:
 * these rows are the outbox from which the relay (re)fills BullMQ, and every state rule is a
 * constraint or a trigger, so a job that runs twice, early or late cannot break one.
 *
 * `relayed_epoch` names the Redis "life" the row was last enqueued into (a random value kept in
 * Redis itself): when Redis loses everything, its epoch changes and every pending row counts as
 * not enqueued again, which is why the marker cannot live only in Redis, nor only here.
 */
export class FollowUps1763766400000 implements MigrationInterface {
  name = 'FollowUps1763766400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE follow_ups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        -- The house the family left: its team does the follow-up, and coordinators see only theirs.
        house_id uuid NOT NULL REFERENCES houses (id),
        referral_id uuid NOT NULL REFERENCES referrals (id),
        sequence smallint NOT NULL CHECK (sequence BETWEEN 1 AND 100),
        -- The FOLLOW_UP_SCHEDULE offset it came from (ISO 8601), for the record.
        offset_after_egress text NOT NULL CHECK (offset_after_egress ~ '^P'),
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled'
          CHECK (status IN ('scheduled', 'due', 'completed', 'cancelled')),
        became_due_at timestamptz,
        outcome text CHECK (outcome IN ('contacted', 'not_reachable', 'declined')),
        -- Encrypted by the application: notes may name people.
        notes text,
        completed_at timestamptz,
        completed_by uuid REFERENCES users (id),
        cancelled_at timestamptz,
        cancel_reason text CHECK (cancel_reason IN ('readmitted')),
        relayed_epoch text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stay_id, sequence),
        CHECK (status <> 'scheduled' OR became_due_at IS NULL),
        CHECK (status <> 'due' OR became_due_at IS NOT NULL),
        CHECK (became_due_at IS NULL OR became_due_at >= due_at),
        CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
        CHECK ((status = 'completed') = (outcome IS NOT NULL)),
        CHECK ((status = 'completed') = (completed_by IS NOT NULL)),
        CHECK (notes IS NULL OR status = 'completed'),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
      )`);
    // The relay and its stale sweep read pending rows by due time; the index holds only those.
    await queryRunner.query(
      `CREATE INDEX follow_ups_scheduled_due_idx ON follow_ups (due_at) WHERE status = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX follow_ups_house_due_idx ON follow_ups (house_id, due_at)`,
    );
    await queryRunner.query(`CREATE INDEX follow_ups_stay_idx ON follow_ups (stay_id)`);
    await queryRunner.query(`CREATE INDEX follow_ups_referral_idx ON follow_ups (referral_id)`);

    await queryRunner.query(`
      CREATE TABLE term_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES stays (id),
        -- ending_soon: 14 days before the term; ends: at the term; overdue: the stay is still
        -- active one day (24 h) after the term.
        kind text NOT NULL CHECK (kind IN ('term_ending_soon', 'term_ends', 'term_overdue')),
        -- The term this alert was computed for; a stay whose term has moved makes it stale.
        term_ends_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'cancelled')),
        sent_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text CHECK (cancel_reason IN ('rescheduled', 'egress', 'stale')),
        relayed_epoch text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind <> 'term_ending_soon' OR due_at < term_ends_at),
        CHECK (kind <> 'term_ends' OR due_at = term_ends_at),
        CHECK (kind <> 'term_overdue' OR due_at > term_ends_at),
        CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CHECK (sent_at IS NULL OR sent_at >= due_at),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
      )`);
    // At most one pending alert of each kind per stay: rescheduling cancels before it inserts.
    await queryRunner.query(
      `CREATE UNIQUE INDEX term_alerts_one_pending_per_kind ON term_alerts (stay_id, kind) WHERE status = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX term_alerts_scheduled_due_idx ON term_alerts (due_at) WHERE status = 'scheduled'`,
    );

    // What the house's team is told. No e-mail or SMS exists yet: the record is the reminder,
    // and a unique key per source makes "one reminder per follow-up or alert" a database fact.
    await queryRunner.query(`
      CREATE TABLE reminders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL
          CHECK (kind IN ('follow_up_due', 'term_ending_soon', 'term_ends', 'term_overdue')),
        house_id uuid NOT NULL REFERENCES houses (id),
        stay_id uuid NOT NULL REFERENCES stays (id),
        follow_up_id uuid UNIQUE REFERENCES follow_ups (id),
        term_alert_id uuid UNIQUE REFERENCES term_alerts (id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'follow_up_due') = (follow_up_id IS NOT NULL)),
        CHECK ((kind = 'follow_up_due') = (term_alert_id IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX reminders_house_idx ON reminders (house_id, recorded_at)`,
    );

    // Terminal states stay terminal, whatever code path (or person with psql) tries otherwise.
    await queryRunner.query(`
      CREATE FUNCTION follow_ups_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> NEW.status AND NOT (
          (OLD.status = 'scheduled' AND NEW.status IN ('due', 'completed', 'cancelled')) OR
          (OLD.status = 'due' AND NEW.status IN ('completed', 'cancelled'))
        ) THEN
          RAISE EXCEPTION 'follow-up status cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.status IN ('completed', 'cancelled') AND (
          NEW.outcome IS DISTINCT FROM OLD.outcome OR NEW.notes IS DISTINCT FROM OLD.notes
          OR NEW.due_at <> OLD.due_at
        ) THEN
          RAISE EXCEPTION 'a % follow-up cannot change', OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER follow_ups_status_transition BEFORE UPDATE ON follow_ups
      FOR EACH ROW EXECUTE FUNCTION follow_ups_status_transition()`);
    await queryRunner.query(`
      CREATE FUNCTION term_alerts_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> NEW.status AND OLD.status <> 'scheduled' THEN
          RAISE EXCEPTION 'term alert status cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.due_at <> OLD.due_at OR NEW.term_ends_at <> OLD.term_ends_at OR NEW.kind <> OLD.kind THEN
          RAISE EXCEPTION 'a term alert is never moved; cancel it and place a new one'
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER term_alerts_status_transition BEFORE UPDATE ON term_alerts
      FOR EACH ROW EXECUTE FUNCTION term_alerts_status_transition()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reminders`);
    await queryRunner.query(`DROP TABLE term_alerts`);
    await queryRunner.query(`DROP TABLE follow_ups`);
    await queryRunner.query(`DROP FUNCTION term_alerts_status_transition()`);
    await queryRunner.query(`DROP FUNCTION follow_ups_status_transition()`);
  }
}
