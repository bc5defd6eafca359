import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { FollowUpsService } from '../src/follow-ups/follow-ups.service';
import { admitFamily } from './factories/casework';
import { exitedWithFollowUps } from './factories/follow-up-fixtures';
import { waitFor } from './helpers/processes';
import { createTestApp, TestApp } from './helpers/test-app';

const execFileAsync = promisify(execFile);
const DAY = 24 * 60 * 60 * 1000;

/** Everything people write in casework, each field with its own marker, into every table. */
describe('Casework text never leaves the service in clear: not in pg_dump, not in Redis', () => {
  let t: TestApp;
  const marker = (field: string) => `MARCA-${field}-Quintero`;
  const fields = [
    'goal',
    'goalEdit',
    'attention',
    'note',
    'authority',
    'caseNumber',
    'legalNote',
    'legalChange',
    'legalProgress',
    'psychosocialProgress',
  ];

  beforeAll(async () => {
    t = await createTestApp();
    const houseId = (await t.houses())[0].id;
    const lawyer = await t.tokenFor('team_member', houseId, 'legal');
    const family = await admitFamily(t, houseId);
    const post = (path: string, body: object) =>
      t.http().post(`/api/v1${path}`).set('Authorization', `Bearer ${lawyer}`).send(body);
    const goal = await post(`/stays/${family.stayId}/plan/goals`, {
      area: 'legal',
      description: marker('goal'),
    }).expect(201);
    await t
      .http()
      .patch(`/api/v1/goals/${goal.body.id}`)
      .set('Authorization', `Bearer ${lawyer}`)
      .send({ description: marker('goalEdit') })
      .expect(200);
    await post(`/stays/${family.stayId}/attentions`, {
      personId: family.people[0],
      kind: 'legal_guidance',
      note: marker('attention'),
    }).expect(201);
    await post(`/stays/${family.stayId}/notes`, {
      body: marker('note'),
      visibility: 'discipline',
    }).expect(201);
    const legal = await post(`/stays/${family.stayId}/legal-processes`, {
      kind: 'protection_order',
      authority: marker('authority'),
      caseNumber: marker('caseNumber'),
      status: 'open',
      // Far enough that its job waits in Redis, delayed, while Redis is read.
      nextHearingAt: new Date(Date.now() + 10 * DAY).toISOString(),
      note: marker('legalNote'),
    }).expect(201);
    await t
      .http()
      .patch(`/api/v1/legal-processes/${legal.body.id}`)
      .set('Authorization', `Bearer ${lawyer}`)
      .send({ note: marker('legalChange'), status: 'order_granted' })
      .expect(200);

    const exited = await exitedWithFollowUps(t.dataSource, t.app.get(FollowUpsService), houseId);
    await post(`/follow-ups/${exited.followUpIds[0]}/complete`, {
      outcome: 'contacted',
      situation: {
        safety: 'at_risk',
        housing: 'none',
        legalProgress: marker('legalProgress'),
        psychosocialProgress: marker('psychosocialProgress'),
      },
    }).expect(200);
  });
  afterAll(() => t.close());

  it('keeps every marker out of a pg_dump of the database, while the rows are there', async () => {
    const { stdout } = await execFileAsync('/usr/bin/pg_dump', [t.config.database.url], {
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(stdout).toContain('COPY public.case_notes');
    expect(stdout).toContain('legal_guidance');
    for (const field of fields) {
      expect(stdout).not.toContain(marker(field));
    }
    expect(stdout).not.toContain('Quintero');
  });

  it("keeps every marker out of Redis: the run's keys and their values, jobs included", async () => {
    const redis = new Redis(t.config.redis.url);
    try {
      // The hearing's job is waiting in Redis; make sure it is there before reading.
      const keys = await waitFor(
        async () => {
          const found = await redis.keys(`${t.config.queue.prefix}:*`);
          return found.some((k) => k.includes('hearing-alert-')) ? found : undefined;
        },
        { what: 'the hearing alert job in Redis' },
      );
      let everything = '';
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? await redis.hgetall(key)
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : type === 'set'
                  ? await redis.smembers(key)
                  : type === 'zset'
                    ? await redis.zrange(key, 0, -1)
                    : type === 'stream'
                      ? await redis.xrange(key, '-', '+')
                      : null;
        everything += `${key} ${JSON.stringify(value)}\n`;
      }
      expect(everything).toContain('hearingAlertId');
      for (const field of fields) {
        expect(everything).not.toContain(marker(field));
      }
      expect(everything).not.toContain('Quintero');
    } finally {
      redis.disconnect();
    }
  });
});
