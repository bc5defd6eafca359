import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: what reaches the house's team, and whether someone has seen it. Each source may raise
 * one alert only, by a unique key on the source (a reminder, a hearing alert, a follow-up found
 * at risk), so a job delivered twice, two workers or a replay after a restart add nothing.
 * Reminders recorded before alerts existed become alerts here, once.
 */
export class Alerts1764500400100 implements MigrationInterface {
  name = 'Alerts1764500400100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        house_id uuid NOT NULL REFERENCES houses (id),
        kind text NOT NULL CHECK (kind IN ('follow_up_due', 'term_ending', 'term_ended',
          'order_overdue', 'hearing_soon', 'hold_expiring', 'at_risk')),
        stay_id uuid REFERENCES stays (id),
        follow_up_id uuid REFERENCES follow_ups (id),
        -- Sources: one alert per reminder and per hearing alert (the hearing table and its
        -- foreign key come with legal processes).
        reminder_id uuid UNIQUE REFERENCES reminders (id),
        hearing_alert_id uuid UNIQUE,
        legal_process_id uuid,
        -- When what the alert is about falls due: the follow-up, the term, the hearing.
        due_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
        acknowledged_at timestamptz,
        acknowledged_by uuid REFERENCES users (id),
        CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL)),
        CHECK ((status = 'acknowledged') = (acknowledged_by IS NOT NULL)),
        CHECK (kind NOT IN ('follow_up_due', 'term_ending', 'term_ended') OR reminder_id IS NOT NULL),
        CHECK (kind <> 'follow_up_due' OR follow_up_id IS NOT NULL),
        CHECK ((kind = 'hearing_soon') = (hearing_alert_id IS NOT NULL)),
        CHECK (kind <> 'at_risk' OR follow_up_id IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX alerts_one_at_risk_per_follow_up ON alerts (follow_up_id) WHERE kind = 'at_risk'`,
    );
    // GET /alerts reads one house's newest first, often only the open ones.
    await queryRunner.query(
      `CREATE INDEX alerts_house_created_idx ON alerts (house_id, created_at DESC, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX alerts_house_open_idx ON alerts (house_id, created_at DESC, id) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX alerts_created_idx ON alerts (created_at DESC, id)`);

    await queryRunner.query(`
      INSERT INTO alerts (house_id, kind, stay_id, follow_up_id, reminder_id, due_at, created_at)
      SELECT r.house_id,
             CASE r.kind WHEN 'follow_up_due' THEN 'follow_up_due'
                         WHEN 'term_ending_soon' THEN 'term_ending' ELSE 'term_ended' END,
             r.stay_id, r.follow_up_id, r.id, coalesce(f.due_at, t.term_ends_at), r.recorded_at
      FROM reminders r
      LEFT JOIN follow_ups f ON f.id = r.follow_up_id
      LEFT JOIN term_alerts t ON t.id = r.term_alert_id
      ON CONFLICT DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE alerts`);
  }
}
