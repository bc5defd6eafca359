import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { JwtService } from '@nestjs/jwt';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from '../common/http-exception.filter';
import { DomainError } from '../common/domain-error';
import { FOLLOW_UPS_QUEUE, FOLLOW_UPS_RELAY_QUEUE } from './follow-ups.queue';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'refugio_queue_board';
export const QUEUE_BOARD_SCOPE = 'queue-board';
export const QUEUE_BOARD_SESSION_SECONDS = 900;

interface BoardClaims {
  sub?: string;
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
 * gets there. Anything else is refused before Bull Board sees the request.
 */
export function boardAccess(
  jwt: JwtService,
  request: Pick<FastifyRequest, 'headers'>,
): DomainError | null {
  const verify = (token: string): BoardClaims | null => {
    try {
      return jwt.verify<BoardClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
  };
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const claims = verify(bearer);
    if (!claims?.sub || !claims.role) {
      return new DomainError('UNAUTHENTICATED', 'The token is invalid or has expired');
    }
    return claims.role === 'admin' ? null : new DomainError('FORBIDDEN', 'Admins only');
  }
  const cookie = cookieValue(request.headers.cookie, QUEUE_BOARD_COOKIE);
  const claims = cookie === undefined ? null : verify(cookie);
  if (claims?.sub && claims.scope === QUEUE_BOARD_SCOPE) {
    return null;
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
  const queues = [FOLLOW_UPS_QUEUE, FOLLOW_UPS_RELAY_QUEUE].map(
    (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
  );
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues, serverAdapter, options: { uiConfig: { boardTitle: 'Refugio' } } });
  await app.register(async (board: FastifyInstance) => {
    board.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const refusal = boardAccess(jwt, request);
      if (refusal) {
        await reply
          .status(refusal.code === 'FORBIDDEN' ? 403 : 401)
          .send(toErrorBody(refusal, request.id));
      }
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  }, {});
}
