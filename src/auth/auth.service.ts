import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/domain-error';
import { RateLimiter } from '../common/rate-limiter';
import { Config } from '../config/config';
import { AccessTokenClaims } from './auth.guard';
import { TokenResponseDto } from './dto/login.dto';
import { dummyPasswordHash, verifyPassword } from './password';
import { UsersRepository } from './users.repository';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
    private readonly rateLimiter: RateLimiter,
    private readonly config: Config,
  ) {}

  /**
   * Only failures count against the limit, per username and address together. The attempt is
   * counted atomically before the password is checked, and given back when it succeeds: checking
   * first and counting after would let parallel guesses all pass the check.
   */
  async login(username: string, password: string, address: string): Promise<TokenResponseDto> {
    const limitKey = `login:${username.toLowerCase()}:${address}`;
    const state = await this.rateLimiter.hit(limitKey);
    if (state && state.count > this.config.limits.loginFailuresPerMinute) {
      throw new DomainError(
        'RATE_LIMITED',
        'Too many failed logins; wait and try again',
        undefined,
        state.resetIn,
      );
    }
    const user = await this.users.findActiveByUsername(username);
    // Verify against a dummy hash for unknown users, so the answer takes as long either way.
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !valid) {
      throw new DomainError('UNAUTHENTICATED', 'Wrong username or password');
    }
    if (state) {
      await this.rateLimiter.forgive(limitKey);
    }
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, houseId: user.houseId };
    return {
      accessToken: await this.jwt.signAsync(claims),
      tokenType: 'Bearer',
      expiresIn: this.config.auth.jwtExpiresInSeconds,
    };
  }
}
