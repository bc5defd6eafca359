import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { Config } from '../config/config';
import { InjectRedis } from './redis';

export interface RateLimitState {
  count: number;
  /** Seconds until the window resets. */
  resetIn: number;
}

// INCR and the first PEXPIRE in one round trip and atomically, so no key lives forever.
/**
 * Takes one hit back, only while the window's counter exists: a plain DECR after the window
 * expired (argon2 takes a while) would create the key at -1 with no expiry, a free attempt
 * kept until the next failure.
 */
const FORGIVE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('DECR', KEYS[1])
end
return 0
`;

const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}`;

/**
 * Fixed one-minute windows kept in Redis, so every API instance shares one count.
 * @nestjs/throttler counts every request; login must count failures only and referrers are
 * keyed by their client id, so this small limiter serves both.
 * When Redis is unreachable it lets requests through (and says so in the log): refusing every
 * login while Redis restarts would lock out the officers at the worst moment.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);

  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: Config,
  ) {
    // The deployment's prefix keeps deployments (and test runs) sharing one Redis apart.
    this.prefix = `${config.queue.prefix}:ratelimit:`;
  }

  async hit(key: string, windowMs = 60_000): Promise<RateLimitState | null> {
    try {
      const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, windowMs)) as [
        number,
        number,
      ];
      return { count, resetIn: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch (error) {
      this.logger.warn(`Rate limiter unavailable, allowing request: ${(error as Error).message}`);
      return null;
    }
  }

  /** Takes back one hit, for attempts that turn out not to count (a successful login). */
  async forgive(key: string): Promise<void> {
    try {
      await this.redis.eval(FORGIVE_SCRIPT, 1, this.prefix + key);
    } catch (error) {
      this.logger.warn(`Rate limiter unavailable: ${(error as Error).message}`);
    }
  }
}
