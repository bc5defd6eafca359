import type { RedisOptions } from 'ioredis';

/** ioredis options from REDIS_URL (BullMQ wants options, not a URL, to open its own clients). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace('/', '');
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Producers (the HTTP path and the relay) fail fast while Redis is away instead of queueing
 * commands in memory: the outbox in Postgres keeps the work, and the relay adds it later.
 */
export function producerConnection(url: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
}

/**
 * Workers keep retrying forever, as BullMQ's production guide asks (maxRetriesPerRequest:
 * null), so that a Redis restart pauses them instead of ending them.
 */
export function workerConnection(url: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
}

/**
 * The eviction policy from `INFO memory` (readable where CONFIG is disabled, as on managed
 * Redis). BullMQ needs `noeviction`: an evicted key is a lost job or a corrupt queue.
 */
export function evictionPolicy(infoMemory: string): string | null {
  const match = /^maxmemory_policy:(\S+)/m.exec(infoMemory);
  return match ? match[1] : null;
}

/**
 * An 'error' listener for queues and workers: BullMQ prints unhandled connection errors to the
 * console on every retry; this logs each distinct error once, until it changes.
 */
export function errorOncePerOutage(warn: (message: string) => void): (error: Error) => void {
  let last = '';
  return (error: Error) => {
    if (error.message !== last) {
      last = error.message;
      warn(`Queue connection error: ${error.message}`);
    }
  };
}
