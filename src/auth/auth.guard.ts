import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Actor, Discipline, STAFF_ROLES, StaffRole } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { RateLimiter } from '../common/rate-limiter';
import { Config } from '../config/config';
import { hashApiKey, looksLikeApiKey } from './api-keys';
import {
  AuthenticatedRequest,
  IS_PUBLIC,
  PENDING_PASSWORD_ALLOWED,
  METRICS_TOKEN_ALLOWED,
  REFERRER_ALLOWED,
  ROLES,
} from './auth.decorators';
import { ReferrersRepository } from './referrers.repository';
import { SessionsRepository } from './sessions.repository';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export interface AccessTokenClaims {
  sub: string;
  /** The session (staff_sessions.id) the token was issued in. */
  sid: string;
  /** For clients to show the right views; the guard reads the user's current role instead. */
  role: StaffRole;
  houseId: string | null;
  /** Team members only. */
  discipline?: Discipline | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one gate for every route: staff by bearer token, referrers by API key (only where a route
 * allows them), roles from @Roles. Global, so a new route is closed unless it says otherwise.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Digest of `Bearer <METRICS_TOKEN>`, compared in constant time; null when unset. */
  private readonly metricsAuthorization: Buffer | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly referrers: ReferrersRepository,
    private readonly sessions: SessionsRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly config: Config,
  ) {
    const token = config.metrics.token;
    this.metricsAuthorization = token ? sha256(`Bearer ${token}`) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const apiKey = request.headers['x-api-key'];
    const authorization = request.headers.authorization;

    if (typeof apiKey === 'string' && authorization === undefined) {
      const actor = await this.authenticateReferrer(apiKey, request.id);
      if (!this.reflector.getAllAndOverride<boolean>(REFERRER_ALLOWED, targets)) {
        throw new DomainError('FORBIDDEN', 'Referrer keys may not call this endpoint');
      }
      request.actor = actor;
      return true;
    }

    if (
      this.metricsAuthorization !== null &&
      authorization !== undefined &&
      this.reflector.getAllAndOverride<boolean>(METRICS_TOKEN_ALLOWED, targets) &&
      timingSafeEqual(sha256(authorization), this.metricsAuthorization)
    ) {
      return true;
    }

    const actor = await this.authenticateStaff(authorization, request.id);
    if (
      actor.passwordChangeRequired &&
      !this.reflector.getAllAndOverride<boolean>(PENDING_PASSWORD_ALLOWED, targets)
    ) {
      throw new DomainError(
        'PASSWORD_CHANGE_REQUIRED',
        'Set a new password (POST /auth/password) before anything else',
      );
    }
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', 'Not allowed for this role');
    }
    // An analyst reads reports and nothing else: only a route that names her in @Roles, or one
    // about her own session and password, lets her through; routes open to "any staff" do not.
    if (
      actor.role === 'analyst' &&
      !roles?.includes('analyst') &&
      !this.reflector.getAllAndOverride<boolean>(PENDING_PASSWORD_ALLOWED, targets)
    ) {
      throw new DomainError('FORBIDDEN', 'Analysts may read reports only');
    }
    request.actor = {
      kind: 'staff',
      id: actor.id,
      role: actor.role,
      houseId: actor.houseId,
      discipline: actor.discipline,
      sessionId: actor.sessionId,
      requestId: actor.requestId,
    };
    return true;
  }

  /**
   * The signature and expiry, then the session in the database: a token is only as good as its
   * session and its user, whatever its own expiry says.
   */
  private async authenticateStaff(
    authorization: string | undefined,
    requestId: string,
  ): Promise<Extract<Actor, { kind: 'staff' }> & { passwordChangeRequired: boolean }> {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(
      authorization ?? '',
    );
    if (!match) {
      throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
    }
    let claims: AccessTokenClaims;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(match[1], { algorithms: ['HS256'] });
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'The token is invalid or has expired');
    }
    if (
      typeof claims.sub !== 'string' ||
      !UUID.test(claims.sub) ||
      typeof claims.sid !== 'string' ||
      !UUID.test(claims.sid)
    ) {
      throw new DomainError('UNAUTHENTICATED', 'The token is invalid or has expired');
    }
    const session = await this.sessions.findLive(claims.sid, claims.sub);
    if (!session || !STAFF_ROLES.includes(session.role)) {
      throw new DomainError('UNAUTHENTICATED', 'The session has ended; log in again');
    }
    return {
      kind: 'staff',
      id: claims.sub,
      role: session.role,
      // The database allows a house only on roles bound to one, a discipline only on team members.
      houseId: session.houseId,
      discipline: session.discipline,
      sessionId: claims.sid,
      requestId,
      passwordChangeRequired: session.passwordChangeRequired,
    };
  }

  private async authenticateReferrer(apiKey: string, requestId: string): Promise<Actor> {
    const referrerId = looksLikeApiKey(apiKey)
      ? await this.referrers.findActiveIdByKeyHash(hashApiKey(apiKey))
      : null;
    if (!referrerId) {
      throw new DomainError('UNAUTHENTICATED', 'The API key is invalid or revoked');
    }
    const limit = await this.rateLimiter.hit(`referrer:${referrerId}`);
    if (limit && limit.count > this.config.limits.referrerRequestsPerMinute) {
      throw new DomainError('RATE_LIMITED', 'Too many requests', undefined, limit.resetIn);
    }
    return { kind: 'referrer', id: referrerId, requestId };
  }
}
