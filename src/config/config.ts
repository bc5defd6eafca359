import type { Duration } from 'luxon';
import {
  AppRole,
  Environment,
  parseDurationList,
  splitList,
  validateEnvironment,
} from './environment';

export interface AppSettings {
  nodeEnv: Environment['NODE_ENV'];
  production: boolean;
  /** api serves HTTP only, worker runs the queue workers only, all does both. */
  role: AppRole;
}

export interface HttpSettings {
  port: number;
  /** The address to listen on (HOST); 0.0.0.0, every interface, by default. */
  host: string;
  /** Behind a reverse proxy, so that limits see the client's address. */
  trustProxy: boolean;
}

export interface DatabaseSettings {
  url: string;
  /** The owner's connection, for migrations and seeding (MIGRATIONS_DATABASE_URL or url). */
  migrationsUrl: string;
  /** The least-privileged role the migrations grant what the service needs (DATABASE_APP_ROLE). */
  appRole: string;
  poolSize: number;
}

export interface RedisSettings {
  url: string;
}

/** Whether and where the service may run its own PostgreSQL and Redis (src/embedded). */
export interface EmbeddedSettings {
  mode: Environment['EMBEDDED'];
  /** Where their data lives, relative to the working directory. */
  dataDir: string;
}

export interface QueueSettings {
  /** BullMQ (and rate-limit) key prefix, so deployments can share one Redis. */
  prefix: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

export interface AuthSettings {
  jwtSecret: string;
  jwtExpiresInSeconds: number;
  /** The longest a staff session lives, refreshes included. */
  sessionMaxHours: number;
  /** Created at start-up when no admin exists; null when not configured. */
  firstAdmin: { username: string; password: string } | null;
}

export interface PiiSettings {
  /** Base64, 32 bytes: encrypts new personal data. */
  encryptionKey: string;
  /** Base64 keys of earlier rotations, still read. */
  oldKeys: readonly string[];
  /** Base64 key of the blind index and fingerprints; null means the encryption key. */
  indexKey: string | null;
}

export interface TimeSettings {
  /** IANA zone of calendar dates and months (TZ_SERVICE). */
  zone: string;
}

export interface StaySettings {
  termMonths: number;
  maxExtensionMonths: number;
  /** HOLD_MINUTES: how long a transport hold keeps the beds by default. */
  holdMinutes: number;
  /** A provisional stay's `orderDueBy` is its admission plus these hours. */
  provisionalOrderHours: number;
}

export interface FollowUpSettings {
  /** Offsets after egress, in order. */
  schedule: readonly Duration[];
  /** The same offsets as written (`P15D`), for clients that show them (GET /settings). */
  scheduleAsWritten: readonly string[];
  relayEveryMs: number;
  workerConcurrency: number;
}

export interface CallbackSettings {
  workerConcurrency: number;
}

export interface SeedSettings {
  houses: number;
  placesPerHouse: number;
}

export interface LimitSettings {
  /** Per username and address together. */
  loginFailuresPerMinute: number;
  /** Per address, whatever the usernames (many usernames guessed from one place). */
  loginFailuresPerAddressPerMinute: number;
  referrerRequestsPerMinute: number;
}

export interface KeyStoreSettings {
  /** The key store's database (KEYSTORE_URL, default `<DATABASE_URL's name>_keys`). */
  url: string;
  /** The same database as the owner prepares it (KEYSTORE_URL, or beside MIGRATIONS_DATABASE_URL). */
  ownerUrl: string;
}

export interface RetentionSettings {
  /** Cases whose last exit is older than this are erased (RETENTION_YEARS). */
  years: number;
}

/** The same server's database `<name>_keys`: the key store's default. */
export function defaultKeyStoreUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  url.pathname = `/${encodeURIComponent(`${name}_keys`)}`;
  return url.toString();
}

export interface ReportSettings {
  /** Counts of people below it are withheld for analysts and the public (REPORT_MIN_CELL). */
  minCell: number;
}

export interface MetricsSettings {
  /** Bearer token that may read GET /metrics besides admins; null when unset. */
  token: string | null;
}

export interface LogSettings {
  level: Environment['LOG_LEVEL'];
}

/** Settings that exist only for tests; validation refuses them in production. */
export interface TestSettings {
  followUpProcessingDelayMs: number;
  /** 0: the production backoff. */
  callbackRetryDelayMs: number;
}

function freeze<T extends object>(value: T): Readonly<T> {
  return Object.freeze(value);
}

/**
 * The validated settings, grouped by what they are about (`config.stay.termMonths`,
 * `config.queue.prefix`). It is the injection token: services take `Config` and read the
 * namespace they need. The environment variable names stay in environment.ts, the one schema
 * that validates them.
 */
export class Config {
  readonly app: Readonly<AppSettings>;
  readonly http: Readonly<HttpSettings>;
  readonly database: Readonly<DatabaseSettings>;
  readonly redis: Readonly<RedisSettings>;
  readonly embedded: Readonly<EmbeddedSettings>;
  readonly queue: Readonly<QueueSettings>;
  readonly auth: Readonly<AuthSettings>;
  readonly pii: Readonly<PiiSettings>;
  readonly keyStore: Readonly<KeyStoreSettings>;
  readonly retention: Readonly<RetentionSettings>;
  readonly time: Readonly<TimeSettings>;
  readonly stay: Readonly<StaySettings>;
  readonly followUps: Readonly<FollowUpSettings>;
  readonly callbacks: Readonly<CallbackSettings>;
  readonly seed: Readonly<SeedSettings>;
  readonly limits: Readonly<LimitSettings>;
  readonly log: Readonly<LogSettings>;
  readonly reports: Readonly<ReportSettings>;
  readonly metrics: Readonly<MetricsSettings>;
  readonly test: Readonly<TestSettings>;

  constructor(env: Environment) {
    this.app = freeze({
      nodeEnv: env.NODE_ENV,
      production: env.NODE_ENV === 'production',
      role: env.APP_ROLE,
    });
    this.http = freeze({ port: env.PORT, host: env.HOST, trustProxy: env.TRUST_PROXY });
    this.database = freeze({
      url: env.DATABASE_URL,
      migrationsUrl: env.MIGRATIONS_DATABASE_URL ?? env.DATABASE_URL,
      appRole: env.DATABASE_APP_ROLE,
      poolSize: env.DATABASE_POOL_SIZE,
    });
    this.redis = freeze({ url: env.REDIS_URL });
    this.embedded = freeze({ mode: env.EMBEDDED, dataDir: env.REFUGIO_DATA_DIR });
    this.queue = freeze({
      prefix: env.QUEUE_PREFIX,
      lockDurationMs: env.QUEUE_LOCK_DURATION_MS,
      stalledIntervalMs: env.QUEUE_STALLED_INTERVAL_MS,
    });
    this.auth = freeze({
      jwtSecret: env.JWT_SECRET,
      jwtExpiresInSeconds: env.JWT_EXPIRES_IN_SECONDS,
      sessionMaxHours: env.SESSION_MAX_HOURS,
      firstAdmin:
        env.ADMIN_USERNAME && env.ADMIN_PASSWORD
          ? freeze({ username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD })
          : null,
    });
    this.pii = freeze({
      encryptionKey: env.PII_ENCRYPTION_KEY,
      oldKeys: freeze(splitList(env.PII_ENCRYPTION_OLD_KEYS ?? '')),
      indexKey: env.PII_INDEX_KEY ?? null,
    });
    this.keyStore = freeze({
      url: env.KEYSTORE_URL ?? defaultKeyStoreUrl(env.DATABASE_URL),
      ownerUrl:
        env.KEYSTORE_URL ?? defaultKeyStoreUrl(env.MIGRATIONS_DATABASE_URL ?? env.DATABASE_URL),
    });
    this.retention = freeze({ years: env.RETENTION_YEARS });
    this.time = freeze({ zone: env.TZ_SERVICE });
    this.stay = freeze({
      termMonths: env.STAY_TERM_MONTHS,
      maxExtensionMonths: env.STAY_MAX_EXTENSION_MONTHS,
      holdMinutes: env.HOLD_MINUTES,
      provisionalOrderHours: env.PROVISIONAL_ORDER_HOURS,
    });
    this.followUps = freeze({
      // Validated by the schema, so never null here.
      schedule: freeze(parseDurationList(env.FOLLOW_UP_SCHEDULE) ?? []),
      scheduleAsWritten: freeze(splitList(env.FOLLOW_UP_SCHEDULE)),
      relayEveryMs: env.FOLLOW_UP_RELAY_EVERY_MS,
      workerConcurrency: env.FOLLOW_UP_WORKER_CONCURRENCY,
    });
    this.callbacks = freeze({ workerConcurrency: env.CALLBACK_WORKER_CONCURRENCY });
    this.seed = freeze({ houses: env.SEED_HOUSES, placesPerHouse: env.SEED_PLACES_PER_HOUSE });
    this.limits = freeze({
      loginFailuresPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
      loginFailuresPerAddressPerMinute: env.LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
      referrerRequestsPerMinute: env.REFERRER_RATE_LIMIT_PER_MINUTE,
    });
    this.log = freeze({ level: env.LOG_LEVEL });
    this.reports = freeze({ minCell: env.REPORT_MIN_CELL });
    this.metrics = freeze({ token: env.METRICS_TOKEN ?? null });
    this.test = freeze({
      followUpProcessingDelayMs: env.FOLLOW_UP_TEST_PROCESSING_DELAY_MS,
      callbackRetryDelayMs: env.CALLBACK_TEST_RETRY_DELAY_MS,
    });
    Object.freeze(this);
  }
}

/**
 * Validates environment variables (as strings, the way the process gets them) and groups them.
 * Throws a ConfigurationError whose message is the one line start-up prints.
 */
export function parseConfig(raw: Record<string, unknown>): Config {
  return new Config(validateEnvironment(raw));
}
