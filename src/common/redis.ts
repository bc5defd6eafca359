import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { Config } from '../config/config';

export const REDIS = Symbol('REDIS');
export const InjectRedis = (): ParameterDecorator => Inject(REDIS);

/**
 * Options for the application's own commands (rate limits, readiness): fail fast when Redis is
 * away instead of queueing, so a request that only needs Postgres is never held up by Redis.
 */
export function commandRedisOptions(): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [Config],
      useFactory: (config: Config): Redis => {
        const redis = new Redis(config.redis.url, commandRedisOptions());
        const logger = new Logger('Redis');
        let lastError = '';
        redis.on('error', (error: Error) => {
          // ioredis repeats the same error on every retry; say it once per outage.
          if (error.message !== lastError) {
            lastError = error.message;
            logger.warn(`Redis unavailable: ${error.message}`);
          }
        });
        redis.on('ready', () => {
          lastError = '';
        });
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
