import { createTestApp, TestApp } from './helpers/test-app';

describe('GET /api/v1/settings', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Settings other than the defaults, so the answer can only come from the environment.
    t = await createTestApp({
      env: {
        TZ_SERVICE: 'America/Lima',
        STAY_TERM_MONTHS: '3',
        STAY_MAX_EXTENSION_MONTHS: '1',
        HOLD_MINUTES: '45',
        FOLLOW_UP_SCHEDULE: 'P7D, P2M',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['admin', 'admission_officer', 'house_coordinator'] as const)(
    'gives a %s the time zone, stay term, egress reasons and follow-up schedule the service runs with',
    async (role) => {
      const houseId = role === 'house_coordinator' ? (await t.houses())[0].id : undefined;
      const token = await t.tokenFor(role, houseId);
      const response = await t
        .http()
        .get('/api/v1/settings')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(response.body).toEqual({
        timeZone: 'America/Lima',
        stay: { termMonths: 3, maxExtensionMonths: 1, maxMonths: 4, holdMinutes: 45 },
        egressReasons: ['term_completed', 'voluntary', 'transferred_out', 'rule_breach', 'other'],
        followUpOutcomes: ['contacted', 'not_reachable', 'declined'],
        followUpSchedule: ['P7D', 'P2M'],
        termEndingWindowDays: 14,
      });
    },
  );

  it('answers 401 UNAUTHENTICATED without a token', async () => {
    const response = await t.http().get('/api/v1/settings').expect(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a referrer key: settings are for staff', async () => {
    const referrer = await t.referrer('Comisaría de prueba');
    const response = await t.as(referrer).get('/api/v1/settings').expect(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('is documented in OpenAPI with a summary and its 401', async () => {
    const docs = await t.http().get('/api/docs-json').expect(200);
    const operation = docs.body.paths['/api/v1/settings'].get;
    expect(operation.summary).toEqual(expect.any(String));
    expect(operation.responses).toHaveProperty('401');
    expect(operation.responses).toHaveProperty('200');
  });
});
