import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { JwtService } from '@nestjs/jwt';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SessionsRepository } from '../auth/sessions.repository';
import { toErrorBody } from '../common/http-exception.filter';
import { DomainError } from '../common/domain-error';
import { FOLLOW_UPS_QUEUE, FOLLOW_UPS_RELAY_QUEUE } from './follow-ups.queue';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'refugio_queue_board';
export const QUEUE_BOARD_SCOPE = 'queue-board';
export const QUEUE_BOARD_SESSION_SECONDS = 900;

interface BoardClaims {
  sub?: string;
  /** An access token's staff session. */
  sid?: string;
  /**
   * The board cookie's staff session. Not `sid`: the API guard takes any token with `sid` and
   * a live session, and the cookie must never open the API.
   */
  boardSession?: string;
  role?: string;
  scope?: string;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      return rest.join('=');
    }
  }
  return undefined;
}

/**
 * Who may open the board: an admin's bearer token (scripts, API clients), or the short-lived
 * HttpOnly cookie that POST /api/v1/admin/queues/session gives an admin, which is how a browser
 * gets there. Either way the session behind it must still be live and its user an active admin
 * now (the guard's own check), so logout, disabling or a demotion close the board at once.
 * Anything else is refused before Bull Board sees the request.
 */
export async function boardAccess(
  jwt: JwtService,
  sessions: SessionsRepository,
  request: Pick<FastifyRequest, 'headers'>,
): Promise<DomainError | null> {
  const verify = (token: string): BoardClaims | null => {
    try {
      return jwt.verify<BoardClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
  };
  const liveAdmin = async (
    userId: string,
    sessionId: string | undefined,
  ): Promise<DomainError | null> => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const live =
      sessionId && uuid.test(sessionId) && uuid.test(userId)
        ? await sessions.findLive(sessionId, userId)
        : null;
    if (!live) {
      return new DomainError('UNAUTHENTICATED', 'The session has ended; log in again');
    }
    return live.role === 'admin' && !live.passwordChangeRequired
      ? null
      : new DomainError('FORBIDDEN', 'Admins only');
  };
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const claims = verify(bearer);
    if (!claims?.sub || !claims.role) {
      return new DomainError('UNAUTHENTICATED', 'The token is invalid or has expired');
    }
    return liveAdmin(claims.sub, claims.sid);
  }
  const cookie = cookieValue(request.headers.cookie, QUEUE_BOARD_COOKIE);
  const claims = cookie === undefined ? null : verify(cookie);
  if (claims?.sub && claims.scope === QUEUE_BOARD_SCOPE) {
    return liveAdmin(claims.sub, claims.boardSession);
  }
  return new DomainError('UNAUTHENTICATED', 'An admin token or board session is required');
}

/**
 * Mounts Bull Board at /admin/queues (outside the API prefix) inside its own Fastify context,
 * whose onRequest hook admits admins only. Job data holds ids only, so the board shows no
 * personal data.
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const jwt = app.get(JwtService, { strict: false });
  const sessions = app.get(SessionsRepository, { strict: false });
  const queues = [FOLLOW_UPS_QUEUE, FOLLOW_UPS_RELAY_QUEUE].map(
    (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
  );
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues, serverAdapter, options: { uiConfig: { boardTitle: 'Refugio' } } });
  await app.register(async (board: FastifyInstance) => {
    board.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const refusal = await boardAccess(jwt, sessions, request);
      if (refusal) {
        await reply
          .status(refusal.code === 'FORBIDDEN' ? 403 : 401)
          .send(toErrorBody(refusal, request.id));
      }
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  }, {});
}
