import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { Duration, IANAZone } from 'luxon';
import { registerDecorator } from 'class-validator';

/** Bounds of a transport hold's minutes (API.md: 5 to 480), for HOLD_MINUTES and POST /holds. */
export const HOLD_MINUTES_MIN = 5;
export const HOLD_MINUTES_MAX = 480;

const TEST_ONLY = new Set<string>();

/**
 * Marks a setting that exists only so tests can provoke a situation (a slow job, say). Such a
 * setting is named with `_TEST_`, lives in the config's `test` namespace, and any value other
 * than its default stops a production start.
 */
function TestOnly(): PropertyDecorator {
  return (_target, propertyKey) => {
    TEST_ONLY.add(propertyKey as string);
  };
}

/** The names of the test-only settings (see TestOnly). */
export function testOnlySettings(): string[] {
  return [...TEST_ONLY];
}

export enum AppRole {
  Api = 'api',
  Worker = 'worker',
  All = 'all',
}

function IsTimeZone(): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && IANAZone.isValidZone(value),
        defaultMessage: () =>
          `${String(propertyKey)} must be an IANA time zone such as America/Bogota`,
      },
    });
}

function IsDurationList(): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isDurationList',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseDurationList(value) !== null,
        defaultMessage: () =>
          `${String(propertyKey)} must be comma-separated positive ISO 8601 durations such as P15D,P1M`,
      },
    });
}

function IsBase64Key32(): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isBase64Key32',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^[A-Za-z0-9+/=_-]+$/.test(value) &&
          Buffer.from(value, 'base64').length === 32,
        defaultMessage: () => `${String(propertyKey)} must be a 32-byte key encoded in base64`,
      },
    });
}

function IsBase64KeyList(): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isBase64KeyList',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          splitList(value).every(
            (key) => /^[A-Za-z0-9+/=_-]+$/.test(key) && Buffer.from(key, 'base64').length === 32,
          ),
        defaultMessage: () =>
          `${String(propertyKey)} must be comma-separated 32-byte keys encoded in base64`,
      },
    });
}

/** `a, b,,c` → `['a', 'b', 'c']`. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Parses `P15D,P1M` into luxon durations; null when any part is not a positive duration. */
export function parseDurationList(value: string): Duration[] | null {
  const parts = splitList(value);
  if (parts.length === 0) {
    return null;
  }
  const durations = parts.map((p) => Duration.fromISO(p));
  if (durations.some((d) => !d.isValid || d.toMillis() <= 0)) {
    return null;
  }
  return durations;
}

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every setting of API.md's "Running it" table, with its default, in one place, under the
 * variable names operators set. Code reads them through `Config`'s namespaces (config.ts).
 */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * The address the HTTP server listens on: every interface by default (a container), `127.0.0.1`
   * behind a proxy on the same machine, so nothing else can reach the service directly.
   */
  @Matches(/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|[0-9A-Fa-f:.]{2,45})$/, {
    message: 'HOST must be an IP address or a host name, such as 127.0.0.1 or 0.0.0.0',
  })
  HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/refugio';

  /**
   * Who applies migrations and seeds: the database's owner. Unset, DATABASE_URL (which then is
   * the owner too, as in the one-command start); in production DATABASE_URL logs in as
   * DATABASE_APP_ROLE and this one as the owner.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'MIGRATIONS_DATABASE_URL must be a postgres:// URL',
  })
  MIGRATIONS_DATABASE_URL?: string;

  /** The role the service needs (least privilege), created by a migration when missing. */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, {
    message: 'DATABASE_APP_ROLE must be a lower-case PostgreSQL name: a-z, 0-9, _ (1-63)',
  })
  DATABASE_APP_ROLE = 'refugio_app';

  /**
   * The key store: the per-case data keys, wrapped by PII_ENCRYPTION_KEY, kept apart from the
   * case data (API.md, "Data protection"). Unset: the database `<name>_keys` beside DATABASE_URL's.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'KEYSTORE_URL must be a postgres:// URL' })
  KEYSTORE_URL?: string;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, {
    message: 'QUEUE_PREFIX must be 1-64 letters, digits or _ . : -',
  })
  QUEUE_PREFIX = 'refugio';

  /** Whether the service may start its own PostgreSQL and Redis (API.md, "nothing but Node"). */
  @IsIn(['auto', 'always', 'never'], { message: 'EMBEDDED must be one of auto, always, never' })
  EMBEDDED: 'auto' | 'always' | 'never' = 'auto';

  /** Where embedded PostgreSQL and Redis keep their data, relative to the working directory. */
  @IsString()
  @MinLength(1)
  REFUGIO_DATA_DIR = '.refugio';

  @IsEnum(AppRole, { message: 'APP_ROLE must be one of api, worker, all' })
  APP_ROLE: AppRole = AppRole.All;

  @IsString({ message: 'JWT_SECRET is required' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  @IsString({ message: 'PII_ENCRYPTION_KEY is required' })
  @IsBase64Key32()
  PII_ENCRYPTION_KEY: string;

  /**
   * The key of the blind index and request fingerprints, which must never change: set it to the
   * first PII_ENCRYPTION_KEY before rotating that one. Unset, the cipher key is used.
   */
  @IsOptional()
  @IsBase64Key32()
  PII_INDEX_KEY?: string;

  /** Older keys (base64, comma-separated), still accepted for reading after a rotation. */
  @IsOptional()
  @IsBase64KeyList()
  PII_ENCRYPTION_OLD_KEYS?: string;

  @IsOptional()
  @Matches(/^[a-zA-Z0-9_.-]{3,64}$/, {
    message: 'ADMIN_USERNAME must be 3-64 letters, digits or _ . -',
  })
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  @MaxLength(256)
  ADMIN_PASSWORD?: string;

  @IsTimeZone()
  TZ_SERVICE = 'America/Bogota';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  STAY_TERM_MONTHS = 4;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24)
  STAY_MAX_EXTENSION_MONTHS = 2;

  /** Minutes a transport hold keeps a family's beds unless the request says otherwise. */
  @Transform(toInt)
  @IsInt()
  @Min(HOLD_MINUTES_MIN)
  @Max(HOLD_MINUTES_MAX)
  HOLD_MINUTES = 90;

  /**
   * Hours a provisional admission (Ley 2215 de 2022, art. 6 par. 1) waits for its protection
   * order: a stay's `orderDueBy` is its admission plus these, fixed when staff record the referral.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(720)
  PROVISIONAL_ORDER_HOURS = 72;

  @IsDurationList()
  FOLLOW_UP_SCHEDULE = 'P15D,P1M,P3M,P6M';

  /**
   * Reports for analysts and the public withhold counts of people from 1 to this minus one
   * (and rates over fewer people), so that nobody can be singled out.
   */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100)
  REPORT_MIN_CELL = 5;

  /** Cases whose last exit is older than this many years are erased by a daily job. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  RETENTION_YEARS = 5;

  /** How often the outbox relay (a BullMQ job scheduler) re-enqueues what Redis lacks. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(60000)
  FOLLOW_UP_RELAY_EVERY_MS = 2000;

  /** Jobs one worker process runs at once; each holds a database connection while it runs. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  FOLLOW_UP_WORKER_CONCURRENCY = 8;

  /**
   * Status callbacks one worker process posts at once. Each mostly waits on the receiver (at
   * most 5 s) and holds a database connection only to claim and to record the attempt.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  CALLBACK_WORKER_CONCURRENCY = 16;

  /** BullMQ's job lock: a worker that dies holding a job loses it after this long. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  QUEUE_LOCK_DURATION_MS = 30000;

  /** How often BullMQ looks for jobs whose worker died (stalled) and gives them to another. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(600000)
  QUEUE_STALLED_INTERVAL_MS = 30000;

  /**
   * For tests only: the processor waits this long inside its transaction, so a test can kill a
   * worker in the middle of a job. Refused in production.
   */
  @TestOnly()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  FOLLOW_UP_TEST_PROCESSING_DELAY_MS = 0;

  /**
   * For tests only: every callback retry waits this long instead of the production backoff
   * (10 s doubling to an hour, for 26 hours), so a test sees retries in seconds. 0 = production.
   */
  @TestOnly()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  CALLBACK_TEST_RETRY_DELAY_MS = 0;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  SEED_HOUSES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  SEED_PLACES_PER_HOUSE = 42;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  /**
   * Failed logins from one address, whatever the usernames, before 429. Behind a proxy set
   * TRUST_PROXY, or every client shares the proxy's address and this limit.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  REFERRER_RATE_LIMIT_PER_MINUTE = 600;

  /** Lifetime of a staff access token, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_EXPIRES_IN_SECONDS = 900;

  /**
   * The longest a staff session lives, refreshes included (a night shift). Fractional hours are
   * accepted so that tests can see a session end within seconds.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value,
  )
  @IsNumber({}, { message: 'SESSION_MAX_HOURS must be a number of hours' })
  @Min(0.0005)
  @Max(168)
  SESSION_MAX_HOURS = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  /**
   * A bearer token for GET /metrics, for a Prometheus that holds no staff account. Unset, only
   * admins' tokens read the metrics.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'METRICS_TOKEN must be at least 32 characters' })
  @MaxLength(512, { message: 'METRICS_TOKEN must be at most 512 characters' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'METRICS_TOKEN must be printable ASCII without spaces' })
  METRICS_TOKEN?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** True behind a reverse proxy, so that login limits see the client's address. */
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY = false;
}

export class ConfigurationError extends Error {}

function firstMessage(errors: ValidationError[]): string {
  const error = errors[0];
  if (error.value === undefined) {
    return `${error.property} is required`;
  }
  const constraint = error.constraints ? Object.values(error.constraints)[0] : undefined;
  return constraint ?? `${error.property} is invalid`;
}

/**
 * Validates the environment once; an empty string counts as unset so that a blank line in
 * `.env` falls back to the default instead of failing obscurely.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  );
  const env = plainToInstance(Environment, present, { excludeExtraneousValues: false });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new ConfigurationError(`Invalid configuration: ${firstMessage(errors)}`);
  }
  if (env.NODE_ENV === 'production') {
    const defaults = new Environment() as unknown as Record<string, unknown>;
    const given = env as unknown as Record<string, unknown>;
    const set = testOnlySettings().find((name) => given[name] !== defaults[name]);
    if (set) {
      throw new ConfigurationError(
        `Invalid configuration: ${set} is for tests only and must not be set in production`,
      );
    }
  }
  if (!env.ADMIN_USERNAME !== !env.ADMIN_PASSWORD) {
    throw new ConfigurationError(
      'Invalid configuration: ADMIN_USERNAME and ADMIN_PASSWORD must be given together',
    );
  }
  return env;
}
