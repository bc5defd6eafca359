import { Queue } from 'bullmq';
import { FOLLOW_UPS_QUEUE } from '../../src/follow-ups/follow-ups.queue';
import { redisOptionsFromUrl } from '../../src/follow-ups/queue-connections';
import { perDescribe } from './per-describe';
import {
  freePort,
  killServices,
  RunningService,
  startService,
  TestRedis,
  waitFor,
} from './processes';
import { createTestApp, freshDatabaseUrl, TestApp } from './test-app';
import { baseTestEnvironment, randomSuffix } from './test-env';

/**
 * Processes of the built service (`npm test` builds it first) sharing one Redis of the test's
 * own and one fresh database with `producer`, an `api` app in this process that schedules the
 * work. `queue` looks into the follow-ups queue under the same prefix.
 */
export interface WorkerProcesses {
  redis: TestRedis;
  producer: TestApp;
  queue: Queue;
  /** Starts a process of the role (with extra settings) and waits until it says it is up. */
  start(role: 'all' | 'worker', extra?: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

/**
 * The worker processes of a `describe` block, set up before its tests; after them every process
 * still running is killed, then the producer, the queue handle and Redis are closed.
 * `serviceEnv` is what every process of the block gets on top of the test environment.
 */
export function useWorkerProcesses(
  name: string,
  serviceEnv: Record<string, string> = {},
): WorkerProcesses {
  return perDescribe(async () => {
    const redis = await TestRedis.start();
    const databaseUrl = await freshDatabaseUrl();
    const queuePrefix = `refugio-test-${name}-${randomSuffix()}`;
    const producer = await createTestApp({
      databaseUrl,
      env: { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix, APP_ROLE: 'api' },
    });
    const queue = new Queue(FOLLOW_UPS_QUEUE, {
      connection: redisOptionsFromUrl(redis.url),
      prefix: queuePrefix,
    });
    const services: RunningService[] = [];
    return {
      redis,
      producer,
      queue,
      async start(role, extra = {}) {
        const service = startService({
          ...baseTestEnvironment(),
          DATABASE_URL: databaseUrl,
          REDIS_URL: redis.url,
          QUEUE_PREFIX: queuePrefix,
          APP_ROLE: role,
          LOG_LEVEL: 'info',
          ...serviceEnv,
          ...extra,
          PORT: String(await freePort()),
        });
        services.push(service);
        try {
          await waitFor(
            () => Promise.resolve(/Refugio (worker started|listening)/.test(service.output())),
            { timeoutMs: 20000, what: `a ${role} process` },
          );
        } catch (error) {
          // What the process said is what tells why it is not up.
          throw new Error(`${(error as Error).message}; it said:\n${service.output()}`, {
            cause: error,
          });
        }
        return service;
      },
      async close() {
        await killServices(services);
        await queue.close();
        await producer.close();
        await redis.stop();
      },
    };
  });
}
