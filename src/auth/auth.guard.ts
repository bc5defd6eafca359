import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Actor, STAFF_ROLES, StaffRole } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { RateLimiter } from '../common/rate-limiter';
import { Config } from '../config/config';
import { hashApiKey, looksLikeApiKey } from './api-keys';
import {
  AuthenticatedRequest,
  IS_PUBLIC,
  METRICS_TOKEN_ALLOWED,
  REFERRER_ALLOWED,
  ROLES,
} from './auth.decorators';
import { ReferrersRepository } from './referrers.repository';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export interface AccessTokenClaims {
  sub: string;
  role: StaffRole;
  houseId: string | null;
}

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

    const actor = this.authenticateStaff(authorization, request.id);
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', 'Not allowed for this role');
    }
    request.actor = actor;
    return true;
  }

  private authenticateStaff(
    authorization: string | undefined,
    requestId: string,
  ): Extract<Actor, { kind: 'staff' }> {
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
    if (typeof claims.sub !== 'string' || !STAFF_ROLES.includes(claims.role)) {
      throw new DomainError('UNAUTHENTICATED', 'The token is invalid or has expired');
    }
    return {
      kind: 'staff',
      id: claims.sub,
      role: claims.role,
      houseId: claims.role === 'house_coordinator' ? claims.houseId : null,
      requestId,
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
