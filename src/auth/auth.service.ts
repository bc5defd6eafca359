import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { RateLimiter } from '../common/rate-limiter';
import { Config } from '../config/config';
import { TokenResponseDto } from './dto/login.dto';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { isStorableUsernameKey, usernameKey } from './username';
import { UsersRepository } from './users.repository';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly sessionsRepository: SessionsRepository,
    private readonly dataSource: DataSource,
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly config: Config,
  ) {}

  /**
   * Only failures count against the limits: per username and address together, and per address
   * across usernames (guessing many usernames from one place). The attempt is counted atomically
   * before the password is checked, and given back when it succeeds: checking first and counting
   * after would let parallel guesses all pass the check. The username is compared and counted
   * by its one key (username.ts), so no spelling of it gets a counter of its own.
   */
  async login(username: string, password: string, address: string): Promise<TokenResponseDto> {
    const key = usernameKey(username);
    const message = 'Too many failed logins; wait and try again';
    const addressKey = `login-address:${address}`;
    const addressCounted = await this.countAttempt(
      addressKey,
      message,
      this.config.limits.loginFailuresPerAddressPerMinute,
    );
    const limitKey = `login:${key}:${address}`;
    const counted = await this.countAttempt(limitKey, message);
    const user = isStorableUsernameKey(key) ? await this.users.findActiveByUsernameKey(key) : null;
    // Verify against a dummy hash for unknown users, so the answer takes as long either way.
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !valid) {
      throw new DomainError('UNAUTHENTICATED', 'Wrong username or password');
    }
    if (counted) {
      await this.rateLimiter.forgive(limitKey);
    }
    if (addressCounted) {
      await this.rateLimiter.forgive(addressKey);
    }
    return this.sessions.start(user);
  }

  /**
   * One's own password, with the current one as proof (a token left on an unlocked screen is
   * not enough). Wrong current passwords count like failed logins. The other sessions end; the
   * one making the change goes on, and is no longer held to change it.
   */
  async changePassword(
    actor: Extract<Actor, { kind: 'staff' }>,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    if (newPassword === currentPassword) {
      throw DomainError.validation('newPassword', 'newPassword must differ from currentPassword');
    }
    const limitKey = `password:${actor.id}`;
    const counted = await this.countAttempt(
      limitKey,
      'Too many wrong passwords; wait and try again',
    );
    const user = await this.users.findActiveWithHashById(actor.id);
    if (!user) {
      throw new DomainError('UNAUTHENTICATED', 'The session has ended; log in again');
    }
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw DomainError.validation(
        'currentPassword',
        'currentPassword is not the current password',
      );
    }
    if (counted) {
      await this.rateLimiter.forgive(limitKey);
    }
    const passwordHash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await this.users.setPassword(manager, actor.id, passwordHash, false);
      const sessionsEnded = await this.sessionsRepository.endAllOfUser(
        manager,
        actor.id,
        'password_changed',
        actor.sessionId,
      );
      await this.audit.record(
        actor,
        'user.password_changed',
        'user',
        actor.id,
        { sessionsEnded },
        manager,
      );
    });
  }

  /** False when Redis could not count it (then there is nothing to give back either). */
  private async countAttempt(
    limitKey: string,
    message: string,
    limit = this.config.limits.loginFailuresPerMinute,
  ): Promise<boolean> {
    const state = await this.rateLimiter.hit(limitKey);
    if (state && state.count > limit) {
      throw new DomainError('RATE_LIMITED', message, undefined, state.resetIn);
    }
    return state !== null;
  }
}
