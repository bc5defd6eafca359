import { Client } from 'pg';
import { waitFor } from './helpers/processes';
import { migrateDatabase } from '../src/database/prepare-database';
import { createTestApp, freshDatabaseUrl, TestApp, testConfig } from './helpers/test-app';
import { randomSuffix, withAdminClient } from './helpers/test-env';

/** The same database, logged in as another role (the test server trusts local logins). */
const as = (databaseUrl: string, role: string): string => {
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = '';
  return url.toString();
};

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Least privilege (API.md, "Data protection"): migrations run as the owner; the service's role,
 * made by a migration, may append to the audit log but never rewrite it, and cannot change the
 * schema; and the whole service works logged in as that role.
 */
describe('The service runs as a role that cannot rewrite the audit log or the schema', () => {
  let t: TestApp;
  let ownerUrl: string;

  beforeAll(async () => {
    ownerUrl = await freshDatabaseUrl();
    t = await createTestApp({
      databaseUrl: ownerUrl,
      env: {
        DATABASE_URL: as(ownerUrl, 'refugio_app'),
        MIGRATIONS_DATABASE_URL: ownerUrl,
        FOLLOW_UP_SCHEDULE: 'PT2S,PT4S',
      },
    });
  });
  afterAll(() => t?.close());

  it('logs the service in as DATABASE_APP_ROLE, not as the owner', async () => {
    const [who] = await t.dataSource.query<{ login: string; owner: string }[]>(
      `SELECT current_user AS login, pg_get_userbyid(c.relowner) AS owner
       FROM pg_class c WHERE c.relname = 'audit_events'`,
    );
    expect(who).toEqual({ login: 'refugio_app', owner: 'postgres' });
  });

  it('admits, exits and follows up a family, with the worker, as that role', async () => {
    const stay = await t.admit({ dependants: 1 });
    await t
      .as(t.admin)
      .post(`/api/v1/stays/${stay.id}/extensions`)
      .send({
        until: new Date(Date.parse(stay.termEndsAt) + 10 * 86_400_000).toISOString().slice(0, 10),
        reason: 'Audiencia pendiente',
      })
      .expect(200);
    await t.egress(stay.id);
    const [first] = await waitFor(
      async () => {
        const list = (await t.as(t.officer).get(`/api/v1/follow-ups?stayId=${stay.id}`).expect(200))
          .body as { id: string; status: string }[];
        return list[0]?.status === 'due' ? list : undefined;
      },
      { timeoutMs: 60000, intervalMs: 250, what: 'the first follow-up to fall due' },
    );
    await t
      .as(t.officer)
      .post(`/api/v1/follow-ups/${first.id}/complete`)
      .send({ outcome: 'contacted', notes: 'Vive con su madre' })
      .expect(200);
    await t.as(t.officer).get(`/api/v1/follow-ups/${first.id}`).expect(200);
    const audit = await t.as(t.admin).get(`/api/v1/audit?resourceId=${stay.id}`).expect(200);
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['stay.admitted', 'stay.exited', 'consent.recorded']),
    );
  });

  it('refuses that role UPDATE, DELETE and TRUNCATE of the audit log, and any change of the schema', async () => {
    const client = new Client({ connectionString: as(ownerUrl, 'refugio_app') });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO audit_events (actor_role, action, resource_type) VALUES ('system', 'probe', 'test')`,
      );
      const refused = (sql: string) =>
        expect(client.query(sql)).rejects.toMatchObject({ code: '42501' });
      // Refused by the grants themselves (the append-only trigger would answer otherwise).
      for (const sql of [
        `UPDATE audit_events SET action = 'forged'`,
        'DELETE FROM audit_events',
        'TRUNCATE audit_events',
      ]) {
        await expect(client.query(sql)).rejects.toThrow(/permission denied for table audit_events/);
      }
      await expect(client.query(`UPDATE consents SET granted = true`)).rejects.toThrow(
        /permission denied for table consents/,
      );
      await expect(
        client.query(`INSERT INTO migrations (timestamp, name) VALUES (1, 'Forged1')`),
      ).rejects.toThrow(/permission denied for table migrations/);
      await expect(client.query('ALTER TABLE stays ADD COLUMN forged text')).rejects.toThrow(
        /must be owner of table stays/,
      );
      await expect(client.query('CREATE TABLE forged (id int)')).rejects.toThrow(
        /permission denied for schema public/,
      );
      await refused('DROP TABLE audit_events');
      await refused('ALTER TABLE audit_events DISABLE TRIGGER ALL');
      await refused('CREATE FUNCTION forged() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$');
      await refused('SELECT database_grant_app_role(current_user)');
    } finally {
      await client.end();
    }
  });

  it('creates a configured role when missing, and stops start-up with one line when the login lacks its grants', async () => {
    const role = `refugio_app_${randomSuffix()}`;
    const stranger = `refugio_stranger_${randomSuffix()}`;
    const databaseUrl = await freshDatabaseUrl();
    const name = new URL(databaseUrl).pathname.slice(1);
    await withAdminClient((c) => c.query(`CREATE ROLE ${quoted(stranger)} LOGIN`));
    try {
      // The owner's step (npm run migrate) makes the role; then the service logs in as it.
      await migrateDatabase(testConfig({ DATABASE_URL: databaseUrl, DATABASE_APP_ROLE: role }), {
        log: () => undefined,
        warn: () => undefined,
      });
      // As docker-compose.yml runs it: no owner's URL at all, the migrations already applied.
      const own = await createTestApp({
        databaseUrl,
        env: { DATABASE_URL: as(databaseUrl, role), DATABASE_APP_ROLE: role },
      });
      try {
        await own.admit();
        const [who] = await own.dataSource.query('SELECT current_user AS login');
        expect(who.login).toBe(role);
      } finally {
        await own.close();
      }
      await expect(
        createTestApp({
          databaseUrl,
          env: {
            DATABASE_URL: as(databaseUrl, stranger),
            MIGRATIONS_DATABASE_URL: databaseUrl,
            DATABASE_APP_ROLE: role,
          },
        }),
      ).rejects.toThrow(
        `DATABASE_URL logs in as "${stranger}", which lacks the grants of DATABASE_APP_ROLE ("${role}")`,
      );
    } finally {
      // Roles are the server's: the test leaves none behind.
      const owned = new Client({ connectionString: databaseUrl });
      await owned.connect();
      try {
        await owned.query(`DROP OWNED BY ${quoted(role)}, ${quoted(stranger)}`);
      } finally {
        await owned.end();
      }
      await withAdminClient(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
        // Its key store grants the role too.
        await c.query(`DROP DATABASE IF EXISTS ${quoted(`${name}_keys`)} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${quoted(role)}`);
        await c.query(`DROP ROLE IF EXISTS ${quoted(stranger)}`);
      });
    }
  });
});
