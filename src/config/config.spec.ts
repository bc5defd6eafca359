import { Config, parseConfig } from './config';
import { ConfigurationError, Environment, testOnlySettings } from './environment';

const REQUIRED = {
  JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters!',
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

function failure(raw: Record<string, string>): string {
  try {
    parseConfig({ ...REQUIRED, ...raw });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('Config', () => {
  it('groups the variables into typed namespaces, with the documented defaults', () => {
    const config = parseConfig(REQUIRED);
    expect(config).toBeInstanceOf(Config);
    expect(config.time.zone).toBe('America/Bogota');
    expect(config.stay).toEqual({
      termMonths: 4,
      maxExtensionMonths: 2,
      holdMinutes: 90,
      provisionalOrderHours: 72,
    });
    expect(config.followUps.schedule.map((d) => d.toISO())).toEqual(['P15D', 'P1M', 'P3M', 'P6M']);
    expect(config.queue.prefix).toBe('refugio');
    expect(config.database).toEqual({
      url: 'postgres://postgres@127.0.0.1:5432/refugio',
      // Unset: the migrations log in as the service does (the one-command start).
      migrationsUrl: 'postgres://postgres@127.0.0.1:5432/refugio',
      appRole: 'refugio_app',
      poolSize: 20,
    });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.auth.firstAdmin).toBeNull();
    expect(config.pii).toEqual({
      encryptionKey: REQUIRED.PII_ENCRYPTION_KEY,
      oldKeys: [],
      indexKey: null,
    });
    expect(config.limits).toEqual({
      loginFailuresPerMinute: 10,
      loginFailuresPerAddressPerMinute: 60,
      referrerRequestsPerMinute: 600,
    });
    expect(config.app).toEqual({ nodeEnv: 'development', production: false, role: 'all' });
    expect(config.test.followUpProcessingDelayMs).toBe(0);
    expect(config.test.callbackRetryDelayMs).toBe(0);
    expect(config.callbacks).toEqual({ workerConcurrency: 16 });
    expect(config.metrics.token).toBeNull();
    expect(config.auth.sessionMaxHours).toBe(12);
    expect(config.embedded).toEqual({ mode: 'auto', dataDir: '.refugio' });
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.followUps.scheduleAsWritten).toEqual(['P15D', 'P1M', 'P3M', 'P6M']);
  });

  it('reads every variable under its operator-facing name', () => {
    const key = Buffer.alloc(32, 2).toString('base64');
    const config = parseConfig({
      ...REQUIRED,
      TZ_SERVICE: 'America/Lima',
      STAY_TERM_MONTHS: '3',
      STAY_MAX_EXTENSION_MONTHS: '1',
      HOLD_MINUTES: '45',
      PROVISIONAL_ORDER_HOURS: '48',
      FOLLOW_UP_SCHEDULE: 'P1M, P6M',
      QUEUE_PREFIX: 'casa',
      DATABASE_URL: 'postgres://db/x',
      MIGRATIONS_DATABASE_URL: 'postgres://owner@db/x',
      DATABASE_APP_ROLE: 'casa_app',
      DATABASE_POOL_SIZE: '7',
      PII_ENCRYPTION_OLD_KEYS: `${key}, ${key}`,
      ADMIN_USERNAME: 'jefa',
      ADMIN_PASSWORD: 'a-long-password',
      TRUST_PROXY: 'true',
      FOLLOW_UP_TEST_PROCESSING_DELAY_MS: '250',
      CALLBACK_TEST_RETRY_DELAY_MS: '300',
      CALLBACK_WORKER_CONCURRENCY: '4',
      METRICS_TOKEN: 'm'.repeat(40),
      SESSION_MAX_HOURS: '0.5',
      EMBEDDED: 'never',
      REFUGIO_DATA_DIR: '/var/lib/refugio',
      HOST: '127.0.0.1',
    });
    expect(config.time.zone).toBe('America/Lima');
    expect(config.stay).toEqual({
      termMonths: 3,
      maxExtensionMonths: 1,
      holdMinutes: 45,
      provisionalOrderHours: 48,
    });
    expect(config.followUps.schedule.map((d) => d.toISO())).toEqual(['P1M', 'P6M']);
    expect(config.followUps.scheduleAsWritten).toEqual(['P1M', 'P6M']);
    expect(config.queue.prefix).toBe('casa');
    expect(config.database).toEqual({
      url: 'postgres://db/x',
      migrationsUrl: 'postgres://owner@db/x',
      appRole: 'casa_app',
      poolSize: 7,
    });
    expect(config.pii.oldKeys).toEqual([key, key]);
    expect(config.auth.firstAdmin).toEqual({ username: 'jefa', password: 'a-long-password' });
    expect(config.http.trustProxy).toBe(true);
    expect(config.test.followUpProcessingDelayMs).toBe(250);
    expect(config.test.callbackRetryDelayMs).toBe(300);
    expect(config.callbacks.workerConcurrency).toBe(4);
    expect(config.metrics.token).toBe('m'.repeat(40));
    expect(config.auth.sessionMaxHours).toBe(0.5);
    expect(config.embedded).toEqual({ mode: 'never', dataDir: '/var/lib/refugio' });
    expect(config.http.host).toBe('127.0.0.1');
  });

  it('cannot be changed once parsed', () => {
    const config = parseConfig(REQUIRED);
    expect(() => {
      (config.stay as { termMonths: number }).termMonths = 9;
    }).toThrow(TypeError);
  });

  it.each([
    [{ STAY_TERM_MONTHS: 'four' }, 'STAY_TERM_MONTHS'],
    [{ PROVISIONAL_ORDER_HOURS: '0' }, 'PROVISIONAL_ORDER_HOURS'],
    [{ TZ_SERVICE: 'Bogota' }, 'TZ_SERVICE'],
    [{ HOLD_MINUTES: '4' }, 'HOLD_MINUTES'],
    [{ HOLD_MINUTES: '481' }, 'HOLD_MINUTES'],
    [{ FOLLOW_UP_SCHEDULE: 'P15D,soon' }, 'FOLLOW_UP_SCHEDULE'],
    [{ PII_ENCRYPTION_OLD_KEYS: 'c2hvcnQ=' }, 'PII_ENCRYPTION_OLD_KEYS'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ METRICS_TOKEN: 'too-short-for-a-token' }, 'METRICS_TOKEN'],
    [{ DATABASE_APP_ROLE: 'refugio"; DROP' }, 'DATABASE_APP_ROLE'],
    [{ MIGRATIONS_DATABASE_URL: 'mysql://db/x' }, 'MIGRATIONS_DATABASE_URL'],
    [{ HOST: 'http://0.0.0.0' }, 'HOST'],
  ])('stops with one line naming a malformed setting: %j', (raw, name) => {
    const message = failure(raw);
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('names test-only settings with _TEST_, and only those', () => {
    const all = Object.keys(new Environment());
    expect(testOnlySettings().sort()).toEqual(all.filter((name) => name.includes('_TEST_')).sort());
    expect(testOnlySettings()).toContain('FOLLOW_UP_TEST_PROCESSING_DELAY_MS');
  });

  it.each(testOnlySettings())('refuses %s in production unless left at its default', (name) => {
    const production = {
      NODE_ENV: 'production',
      ADMIN_USERNAME: 'jefa',
      ADMIN_PASSWORD: 'a-long-password',
    };
    const defaults = new Environment() as unknown as Record<string, unknown>;
    expect(() =>
      parseConfig({ ...REQUIRED, ...production, [name]: String(defaults[name]) }),
    ).not.toThrow();
    expect(failure({ ...production, [name]: '1' })).toBe(
      `Invalid configuration: ${name} is for tests only and must not be set in production`,
    );
    expect(parseConfig({ ...REQUIRED, [name]: '1' }).test).toBeDefined();
  });
});
