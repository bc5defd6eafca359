import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed status callbacks to referrers (API.md, "Status callbacks to referrers").
 *
 * The outbox, `callback_events`, is written by a trigger on `referrals`, in the transaction of
 * every status change: the referrals repository (reject, withdraw), `stays_admit`,
 * `stays_egress`, and any path added later. A trigger rather than a call in each use case, so
 * that no path can change a status without its event. One event per referral and status (the
 * statuses only move forward), so a replayed change adds nothing.
 *
 * The secret is a PII-cipher envelope (the service must sign with it, so it cannot be a hash).
 * Each attempt is a row of `callback_deliveries`, the log `GET /referrers/:id/deliveries` reads.
 */
export class ReferrerCallbacks1764503000000 implements MigrationInterface {
  name = 'ReferrerCallbacks1764503000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE referrers
        ADD COLUMN callback_url text CHECK (length(callback_url) BETWEEN 1 AND 2000),
        ADD COLUMN callback_secret text,
        -- Set when the receiver answered 410 Gone; setting the URL again clears it.
        ADD COLUMN callback_disabled_at timestamptz,
        ADD CONSTRAINT referrers_callback_secret_check
          CHECK ((callback_url IS NULL) = (callback_secret IS NULL))`);

    await queryRunner.query(`
      CREATE TABLE callback_events (
        -- The event's id: the payload's eventId and the X-Refugio-Event-Id header.
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        referrer_id uuid NOT NULL REFERENCES referrers (id),
        referral_id uuid NOT NULL REFERENCES referrals (id),
        referral_status text NOT NULL
          CHECK (referral_status IN ('admitted', 'rejected', 'withdrawn', 'exited')),
        -- A rejection's code, as it was: the referrer is told its standard text.
        status_reason_code text,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'delivered', 'gone', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        -- A worker delivering it holds it until then: two workers never post one event at once.
        claimed_until timestamptz,
        relayed_epoch text,
        settled_at timestamptz,
        UNIQUE (referral_id, referral_status)
      )`);
    // The relay's two questions, as for follow-ups (RelayIndexes1763767100000).
    await queryRunner.query(`
      CREATE INDEX callback_events_unrelayed ON callback_events (created_at)
      WHERE status = 'pending' AND relayed_epoch IS NULL`);
    await queryRunner.query(`
      CREATE INDEX callback_events_relayed_epoch ON callback_events (relayed_epoch, created_at)
      WHERE status = 'pending'`);
    await queryRunner.query(`
      CREATE INDEX callback_events_pending_referrer ON callback_events (referrer_id)
      WHERE status = 'pending'`);

    await queryRunner.query(`
      CREATE TABLE callback_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL REFERENCES callback_events (id),
        referrer_id uuid NOT NULL REFERENCES referrers (id),
        attempt integer NOT NULL CHECK (attempt >= 1),
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'gone')),
        http_status integer,
        error text CHECK (length(error) <= 300),
        duration_ms integer NOT NULL,
        attempted_at timestamptz NOT NULL,
        UNIQUE (event_id, attempt)
      )`);
    await queryRunner.query(`
      CREATE INDEX callback_deliveries_referrer ON callback_deliveries (referrer_id, attempted_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE FUNCTION referrals_status_callback() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO callback_events (referrer_id, referral_id, referral_status, status_reason_code,
                                     occurred_at)
        SELECT r.id, NEW.id, NEW.status, NEW.status_reason_code,
               coalesce(CASE NEW.status WHEN 'admitted' THEN NEW.admitted_at
                                        WHEN 'exited' THEN NEW.exited_at END,
                        NEW.updated_at)
        FROM referrers r
        WHERE r.id = NEW.referrer_id AND r.callback_url IS NOT NULL
          AND r.callback_disabled_at IS NULL AND r.revoked_at IS NULL
        ON CONFLICT (referral_id, referral_status) DO NOTHING;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER referrals_status_callback
      AFTER UPDATE OF status ON referrals
      FOR EACH ROW
      WHEN (NEW.referrer_id IS NOT NULL AND OLD.status IS DISTINCT FROM NEW.status
            AND NEW.status IN ('admitted', 'rejected', 'withdrawn', 'exited'))
      EXECUTE FUNCTION referrals_status_callback()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER referrals_status_callback ON referrals`);
    await queryRunner.query(`DROP FUNCTION referrals_status_callback()`);
    await queryRunner.query(`DROP TABLE callback_deliveries`);
    await queryRunner.query(`DROP TABLE callback_events`);
    await queryRunner.query(`
      ALTER TABLE referrers
        DROP CONSTRAINT referrers_callback_secret_check,
        DROP COLUMN callback_disabled_at,
        DROP COLUMN callback_secret,
        DROP COLUMN callback_url`);
  }
}
