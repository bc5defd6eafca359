import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, Discipline, StaffRole } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { RateLimiter } from '../common/rate-limiter';
import { Config } from '../config/config';
import { AccessTokenClaims } from './auth.guard';
import { TokenResponseDto } from './dto/login.dto';
import { generateRefreshToken, hashRefreshToken, looksLikeRefreshToken } from './refresh-tokens';
import { SessionsRepository } from './sessions.repository';

interface SessionUser {
  id: string;
  role: StaffRole;
  houseId: string | null;
  discipline: Discipline | null;
  passwordChangeRequired: boolean;
}

type RefreshOutcome =
  { kind: 'refreshed'; response: TokenResponseDto } | { kind: 'reused' } | { kind: 'refused' };

const REFUSED = 'The refresh token is invalid, used or expired';

/**
 * Login sessions: one row per login, a refresh token that works once (rotation), the whole
 * session ended when a used token comes back (it was copied), and a hard end
 * SESSION_MAX_HOURS after login whatever is refreshed.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: Config,
  ) {}

  async start(user: SessionUser): Promise<TokenResponseDto> {
    await this.sessions.deleteOldOfUser(user.id);
    const refreshToken = generateRefreshToken();
    const session = await this.sessions.start(
      user.id,
      this.config.auth.sessionMaxHours * 3600,
      hashRefreshToken(refreshToken),
    );
    return this.tokens(user, session.id, session.expiresAt, refreshToken);
  }

  /**
   * A refresh that fails counts against the same limit as a failed login, per address: refresh
   * tokens are unguessable, but a client hammering with garbage or stolen used tokens is
   * slowed down. A success gives its hit back.
   */
  async refresh(refreshToken: string, address: string): Promise<TokenResponseDto> {
    const limitKey = `refresh:${address}`;
    const state = await this.rateLimiter.hit(limitKey);
    if (state && state.count > this.config.limits.loginFailuresPerMinute) {
      throw new DomainError(
        'RATE_LIMITED',
        'Too many failed refreshes; wait and try again',
        undefined,
        state.resetIn,
      );
    }
    const outcome: RefreshOutcome = looksLikeRefreshToken(refreshToken)
      ? await this.rotate(hashRefreshToken(refreshToken))
      : { kind: 'refused' };
    switch (outcome.kind) {
      case 'refreshed':
        if (state) {
          await this.rateLimiter.forgive(limitKey);
        }
        return outcome.response;
      case 'reused':
      case 'refused':
        throw new DomainError('UNAUTHENTICATED', REFUSED);
    }
  }

  /**
   * One transaction, committed whatever the outcome: ending a session on reuse must stick even
   * though the request is refused.
   */
  private rotate(tokenHash: Buffer): Promise<RefreshOutcome> {
    return this.dataSource.transaction(async (manager): Promise<RefreshOutcome> => {
      const sessionId = await this.sessions.useRefreshToken(manager, tokenHash);
      if (!sessionId) {
        const reusedIn = await this.sessions.findSessionOfUsedToken(manager, tokenHash);
        const userId = reusedIn
          ? await this.sessions.end(manager, reusedIn, 'refresh_token_reused')
          : null;
        if (!reusedIn || !userId) {
          return { kind: 'refused' };
        }
        await this.audit.recordSystem(
          'session.refresh_token_reused',
          'session',
          reusedIn,
          { userId },
          manager,
        );
        return { kind: 'reused' };
      }
      const session = await this.sessions.findRefreshable(manager, sessionId);
      if (!session?.live) {
        return { kind: 'refused' };
      }
      const refreshToken = generateRefreshToken();
      await this.sessions.addRefreshToken(manager, sessionId, hashRefreshToken(refreshToken));
      const user: SessionUser = {
        id: session.userId,
        role: session.role,
        houseId: session.houseId,
        discipline: session.discipline,
        passwordChangeRequired: session.passwordChangeRequired,
      };
      return {
        kind: 'refreshed',
        response: await this.tokens(user, sessionId, session.expiresAt, refreshToken),
      };
    });
  }

  async logout(actor: Extract<Actor, { kind: 'staff' }>): Promise<void> {
    await this.sessions.end(this.dataSource.manager, actor.sessionId, 'logout');
  }

  /** The access token never outlives its session. */
  private async tokens(
    user: SessionUser,
    sessionId: string,
    sessionExpiresAt: Date,
    refreshToken: string,
  ): Promise<TokenResponseDto> {
    const remaining = Math.floor((sessionExpiresAt.getTime() - this.clock.now().getTime()) / 1000);
    const expiresIn = Math.max(1, Math.min(this.config.auth.jwtExpiresInSeconds, remaining));
    const claims: AccessTokenClaims = {
      sub: user.id,
      sid: sessionId,
      role: user.role,
      houseId: user.houseId,
      ...(user.discipline ? { discipline: user.discipline } : {}),
    };
    return {
      accessToken: await this.jwt.signAsync(claims, { expiresIn }),
      tokenType: 'Bearer',
      expiresIn,
      refreshToken,
      sessionExpiresAt,
      passwordChangeRequired: user.passwordChangeRequired,
    };
  }
}
