import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff sessions for a night shift: a session row per login, checked on every request (so that
 * logout, disabling a user or deleting her row ends her access at once on every process), and
 * its refresh tokens, stored only as SHA-256 hashes. Used tokens are kept until the session is
 * deleted, so that a token presented a second time is recognised as reuse and ends the session.
 * Also the flag that makes a user change a password an admin reset.
 */
export class StaffSessions1764500500000 implements MigrationInterface {
  name = 'StaffSessions1764500500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`,
    );

    // ON DELETE CASCADE: a user row deleted by hand takes its sessions along, and the check on
    // every request then finds no session, so her tokens stop working at once.
    await queryRunner.query(`
      CREATE TABLE staff_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text CHECK (revoked_reason IN
          ('logout', 'refresh_token_reused', 'user_disabled', 'password_reset', 'password_changed')),
        CHECK (expires_at > created_at),
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id)`);

    await queryRunner.query(`
      CREATE TABLE staff_refresh_tokens (
        token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
        session_id uuid NOT NULL REFERENCES staff_sessions (id) ON DELETE CASCADE,
        issued_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX staff_refresh_tokens_session_idx ON staff_refresh_tokens (session_id)`,
    );
    // Rotation never leaves two live refresh tokens in one session, whatever runs in parallel.
    await queryRunner.query(
      `CREATE UNIQUE INDEX staff_refresh_tokens_one_live ON staff_refresh_tokens (session_id)
       WHERE used_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE staff_refresh_tokens`);
    await queryRunner.query(`DROP TABLE staff_sessions`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN password_change_required`);
  }
}
