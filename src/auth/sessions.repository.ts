import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Discipline, StaffRole } from '../common/actor';
import { runPrepared, statement } from '../database/prepared';
import { runUpdate } from '../database/updates';

export type SessionEndReason =
  'logout' | 'refresh_token_reused' | 'user_disabled' | 'password_reset' | 'password_changed';

/** What every authenticated request needs to know, read fresh from the database. */
export interface LiveSession {
  role: StaffRole;
  houseId: string | null;
  discipline: Discipline | null;
  passwordChangeRequired: boolean;
}

export interface StartedSession {
  id: string;
  expiresAt: Date;
}

/** A session and its user as a refresh finds them; `live` is false once either is over. */
export interface RefreshableSession {
  sessionId: string;
  expiresAt: Date;
  live: boolean;
  userId: string;
  role: StaffRole;
  houseId: string | null;
  discipline: Discipline | null;
  passwordChangeRequired: boolean;
}

/**
 * The check of every authenticated request: two primary-key lookups, prepared once per
 * connection. Nothing is cached, so a logout, a disabled user or a deleted row (the session
 * goes with it) takes effect on the next request, on every process. The role and house are the
 * user's current ones, not the token's, so a change of role applies at once too.
 */
const LIVE_SESSION = statement(
  'staff-session-live',
  `SELECT u.role, u.house_id AS "houseId", u.discipline,
          u.password_change_required AS "passwordChangeRequired"
   FROM staff_sessions s JOIN users u ON u.id = s.user_id
   WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()
     AND u.active`,
);

@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findLive(sessionId: string, userId: string): Promise<LiveSession | null> {
    const rows = await runPrepared<LiveSession>(this.dataSource, LIVE_SESSION, [sessionId, userId]);
    return rows[0] ?? null;
  }

  /** The session and its first refresh token in one statement, so neither exists alone. */
  async start(userId: string, maxSeconds: number, tokenHash: Buffer): Promise<StartedSession> {
    const rows = await this.dataSource.query<StartedSession[]>(
      `WITH session AS (
         INSERT INTO staff_sessions (user_id, expires_at)
         VALUES ($1, now() + make_interval(secs => $2))
         RETURNING id, expires_at
       ), token AS (
         INSERT INTO staff_refresh_tokens (token_hash, session_id) SELECT $3, id FROM session
       )
       SELECT id, expires_at AS "expiresAt" FROM session`,
      [userId, maxSeconds, tokenHash],
    );
    return rows[0];
  }

  /**
   * Marks a refresh token used, once: of two requests presenting it at the same time, the
   * second waits for the first's row lock and then finds it used. Null when the token is
   * unknown or already used.
   */
  async useRefreshToken(manager: EntityManager, tokenHash: Buffer): Promise<string | null> {
    const { rows } = await runUpdate<{ session_id: string }>(
      manager,
      `UPDATE staff_refresh_tokens SET used_at = now()
       WHERE token_hash = $1 AND used_at IS NULL RETURNING session_id`,
      [tokenHash],
    );
    return rows[0]?.session_id ?? null;
  }

  /** The session of a token that was issued but is already used: someone presents it again. */
  async findSessionOfUsedToken(manager: EntityManager, tokenHash: Buffer): Promise<string | null> {
    const rows = await manager.query<{ session_id: string }[]>(
      `SELECT session_id FROM staff_refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL`,
      [tokenHash],
    );
    return rows[0]?.session_id ?? null;
  }

  async findRefreshable(
    manager: EntityManager,
    sessionId: string,
  ): Promise<RefreshableSession | null> {
    const rows = await manager.query<RefreshableSession[]>(
      `SELECT s.id AS "sessionId", s.expires_at AS "expiresAt",
              (s.revoked_at IS NULL AND s.expires_at > now() AND u.active) AS live,
              u.id AS "userId", u.role, u.house_id AS "houseId", u.discipline,
              u.password_change_required AS "passwordChangeRequired"
       FROM staff_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  async addRefreshToken(
    manager: EntityManager,
    sessionId: string,
    tokenHash: Buffer,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO staff_refresh_tokens (token_hash, session_id) VALUES ($1, $2)`,
      [tokenHash, sessionId],
    );
  }

  /** Ends one session; ending it twice keeps the first reason. Its user while it was live. */
  async end(
    executor: Pick<EntityManager, 'query'>,
    sessionId: string,
    reason: SessionEndReason,
  ): Promise<string | null> {
    const { rows } = await runUpdate<{ user_id: string }>(
      executor,
      `UPDATE staff_sessions SET revoked_at = now(), revoked_reason = $2
       WHERE id = $1 AND revoked_at IS NULL RETURNING user_id`,
      [sessionId, reason],
    );
    return rows[0]?.user_id ?? null;
  }

  /** Ends every session of a user, but `keep` (the one changing her own password). */
  async endAllOfUser(
    manager: EntityManager,
    userId: string,
    reason: SessionEndReason,
    keep: string | null = null,
  ): Promise<number> {
    const { count } = await runUpdate(
      manager,
      `UPDATE staff_sessions SET revoked_at = now(), revoked_reason = $2
       WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3`,
      [userId, reason, keep],
    );
    return count;
  }

  /**
   * Forgets a user's sessions that ended more than a day ago (their tokens go with them), so
   * the tables hold about one shift's worth per person. The day keeps a late reuse detectable.
   */
  async deleteOldOfUser(userId: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM staff_sessions
       WHERE user_id = $1 AND least(expires_at, revoked_at) < now() - interval '1 day'`,
      [userId],
    );
  }
}
