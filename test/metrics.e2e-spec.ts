import { createReferral, referralBody } from './factories/referrals';
import { errorBody } from './helpers/error-body';
import { createTestApp, TestApp } from './helpers/test-app';

const METRICS_TOKEN = 'prometheus-scrape-token-0123456789abcdef';

/** The value of one sample line, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    // No workers and no relay schedule: only a request's own trigger relays the outbox, so a
    // row written behind the service's back stays pending for the outbox test.
    t = await createTestApp({ env: { METRICS_TOKEN, APP_ROLE: 'api' } });
    admin = await t.adminToken();
  });
  afterAll(() => t.close());

  const scrape = async (authorization = `Bearer ${admin}`): Promise<string> => {
    const response = await t.http().get('/metrics').set('Authorization', authorization).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text;
  };

  it('gives an admin beds per house code, queue depths, outbox lag, pool use and route latencies', async () => {
    const [house] = await t.houses();
    await t.http().get('/api/v1/houses').set('Authorization', `Bearer ${admin}`).expect(200);

    const text = await scrape();
    expect(sample(text, `refugio_house_capacity_beds{house="${house.code}"}`)).toBe(42);
    expect(sample(text, `refugio_house_occupied_beds{house="${house.code}"}`)).toBe(0);
    expect(sample(text, `refugio_house_out_of_service_beds{house="${house.code}"}`)).toBe(0);
    expect(sample(text, `refugio_house_held_beds{house="${house.code}"}`)).toBe(0);
    for (const queue of ['follow-ups', 'follow-ups-relay']) {
      for (const state of ['waiting', 'delayed', 'active', 'failed']) {
        expect(sample(text, `refugio_queue_jobs{queue="${queue}",state="${state}"}`)).toEqual(
          expect.any(Number),
        );
      }
    }
    for (const outbox of ['follow_ups', 'term_alerts', 'hearing_alerts', 'order_alerts']) {
      expect(sample(text, `refugio_outbox_pending_rows{outbox="${outbox}"}`)).toEqual(
        expect.any(Number),
      );
      expect(sample(text, `refugio_outbox_lag_seconds{outbox="${outbox}"}`)).toEqual(
        expect.any(Number),
      );
    }
    expect(sample(text, 'refugio_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(sample(text, 'refugio_db_pool_waiting_requests')).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'refugio_db_pool_max_connections')).toBe(t.config.database.poolSize);
    for (const collector of ['occupancy', 'queues', 'outbox']) {
      expect(sample(text, `refugio_metrics_collector_up{collector="${collector}"}`)).toBe(1);
    }
    expect(
      sample(
        text,
        'refugio_http_request_duration_seconds_count{method="GET",route="/api/v1/houses",status_code="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toContain(
      'refugio_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/v1/houses",status_code="200"}',
    );
  });

  it('labels requests by route pattern and never carries personal data, names or ids', async () => {
    const marker = `Zzmarcadora Metricsova ${Date.now()}`;
    const body = referralBody();
    const woman = body.woman as Record<string, string>;
    woman.fullName = marker;
    const created = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...body, notes: `${marker} notes` })
      .expect(201);
    const referralId = created.body.id as string;
    await t
      .http()
      .get(`/api/v1/referrals/${referralId}?name=${encodeURIComponent(marker)}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const stay = await t
      .http()
      .post('/api/v1/stays')
      .set('Authorization', `Bearer ${admin}`)
      .send({ referralId })
      .expect(201);
    await t.http().get(`/no-such-path/${referralId}`).expect(404);

    const text = await scrape();
    const [house] = await t.dataSource.query<{ code: string; name: string }[]>(
      'SELECT code, name FROM houses WHERE id = $1',
      [stay.body.houseId],
    );
    expect(sample(text, `refugio_house_occupied_beds{house="${house.code}"}`)).toBe(1);
    // A transport hold's beds are a gauge of their own, neither occupied nor free.
    const held = await t
      .http()
      .post('/api/v1/holds')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        referralId: (await createReferral(t, { dependants: 1 })).id,
        houseId: stay.body.houseId,
      })
      .expect(201);
    const afterHold = await scrape();
    expect(sample(afterHold, `refugio_house_held_beds{house="${house.code}"}`)).toBe(
      held.body.beds.length,
    );
    expect(sample(afterHold, `refugio_house_occupied_beds{house="${house.code}"}`)).toBe(1);
    expect(text).toContain('route="/api/v1/referrals/:id"');
    expect(text).toContain('route="unmatched"');
    for (const secret of [
      'Zzmarcadora',
      'Metricsova',
      woman.documentNumber,
      referralId,
      stay.body.id as string,
      stay.body.houseId as string,
      house.name,
      body.externalReference,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('reports the outbox rows not yet in Redis and the age of the oldest', async () => {
    const referral = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', `Bearer ${admin}`)
      .send(referralBody())
      .expect(201);
    const stay = await t
      .http()
      .post('/api/v1/stays')
      .set('Authorization', `Bearer ${admin}`)
      .send({ referralId: referral.body.id })
      .expect(201);
    // The admission's own relay run hands its term alerts to Redis.
    const deadline = Date.now() + 10_000;
    while (sample(await scrape(), 'refugio_outbox_pending_rows{outbox="term_alerts"}') !== 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const before = await scrape();
    expect(sample(before, 'refugio_outbox_pending_rows{outbox="follow_ups"}')).toBe(0);
    expect(sample(before, 'refugio_outbox_lag_seconds{outbox="follow_ups"}')).toBe(0);

    // A follow-up written ten minutes ago that no relay has enqueued.
    await t.dataSource.query(
      `INSERT INTO follow_ups (stay_id, house_id, referral_id, sequence, offset_after_egress,
                               due_at, created_at)
       SELECT id, house_id, referral_id, 1, 'P15D', now() + interval '15 days',
              now() - interval '10 minutes'
       FROM stays WHERE id = $1`,
      [stay.body.id],
    );
    const after = await scrape();
    expect(sample(after, 'refugio_outbox_pending_rows{outbox="follow_ups"}')).toBe(1);
    const lag = sample(after, 'refugio_outbox_lag_seconds{outbox="follow_ups"}') as number;
    expect(lag).toBeGreaterThanOrEqual(600);
    expect(lag).toBeLessThan(700);
  });

  it('answers 401 without a token or with a wrong one, in the contract shape', async () => {
    const none = await t.http().get('/metrics').expect(401);
    expect(none.body).toEqual(errorBody(401, 'UNAUTHENTICATED'));
    const wrong = await t
      .http()
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}-not`)
      .expect(401);
    expect(wrong.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers 403 to an admission officer and to a referrer key', async () => {
    const officer = await t.tokenFor('admission_officer');
    const forbidden = await t
      .http()
      .get('/metrics')
      .set('Authorization', `Bearer ${officer}`)
      .expect(403);
    expect(forbidden.body).toEqual(errorBody(403, 'FORBIDDEN'));
    const referrer = await t.referrer('Comisaría de Familia Suba');
    const byKey = await t.as(referrer).get('/metrics').expect(403);
    expect(byKey.body.code).toBe('FORBIDDEN');
  });

  it('lets METRICS_TOKEN read the metrics, and nothing else', async () => {
    const text = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(text).toContain('refugio_house_capacity_beds{house="CR-1"} 42');
    const elsewhere = await t
      .http()
      .get('/api/v1/houses')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(401);
    expect(elsewhere.body.code).toBe('UNAUTHENTICATED');
  });

  it('is documented in OpenAPI outside the /api/v1 base path', async () => {
    const docs = await t.http().get('/api/docs-json').expect(200);
    expect(docs.body.paths['/metrics'].get.responses).toHaveProperty('200');
    expect(docs.body.paths).not.toHaveProperty('/api/v1/metrics');
  });
});
