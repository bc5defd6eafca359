import { useTestApp } from './helpers/test-app';

describe('The API edges: errors, validation, headers, documentation', () => {
  const t = useTestApp();

  it('answers malformed JSON with 400 VALIDATION_FAILED in the contract shape', async () => {
    const response = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": "admin", ')
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: expect.any(String),
    });
    expect(JSON.stringify(response.body)).not.toMatch(/Unexpected|JSON\.parse|at /);
  });

  it('names every invalid field by its path', async () => {
    const response = await t
      .as(t.admin)
      .post('/api/v1/houses/00000000-0000-4000-8000-000000000000/rooms')
      .send({ name: '', beds: 0 })
      .expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const fields = response.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'beds']));
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const response = await t
      .as(t.admin)
      .post('/api/v1/houses')
      .send({ code: 'CR-77', name: 'Casa 77', address: 'Calle 1 # 2-3' })
      .expect(400);
    expect(response.body.errors).toEqual([
      { field: 'address', message: 'address is not a known field' },
    ]);
  });

  it('refuses values PostgreSQL cannot hold with 400 naming the field, never 500', async () => {
    const nul = await t
      .as(t.admin)
      .post('/api/v1/houses')
      .send({ code: 'CR-66', name: 'Casa\u0000 66' })
      .expect(400);
    expect(nul.body.errors).toEqual([
      { field: 'name', message: 'name must not contain a NUL character' },
    ]);
    const yearZero = await t
      .as(t.admin)
      .get('/api/v1/occupancy/history?from=0000-01-01&to=0000-01-02')
      .expect(400);
    expect(yearZero.body.errors.map((e: { field: string }) => e.field)).toEqual(['from', 'to']);
    const offset = await t
      .as(t.admin)
      .post('/api/v1/stays')
      .send({
        referralId: '00000000-0000-4000-8000-000000000000',
        admittedAt: '2026-11-21T03:10:00+99:00',
      })
      .expect(400);
    expect(offset.body.errors.map((e: { field: string }) => e.field)).toEqual(['admittedAt']);
  });

  it('answers a malformed id with 400 naming the parameter, and an unknown route with 404', async () => {
    const bad = await t.as(t.admin).get('/api/v1/houses/not-a-uuid/rooms').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    const missing = await t.as(t.admin).get('/api/v1/nothing-here').expect(404);
    expect(missing.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'Not found' });
  });

  it('answers a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await t
      .as(t.admin)
      .post('/api/v1/houses')
      .send({ code: 'CR-88', name: 'x'.repeat(1024 * 1024 + 10) })
      .expect(413);
    expect(response.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.any(String),
    });
  });

  it('puts a request id, security headers and no-store on every API answer', async () => {
    const response = await t.as(t.admin).get('/api/v1/houses').expect(200);
    expect(response.headers['x-request-id']).toMatch(/^[\w.:-]{8,64}$/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    const traced = await t
      .as(t.admin)
      .get('/api/v1/houses')
      .set('X-Request-Id', 'comisaria-trace-0001')
      .expect(200);
    expect(traced.headers['x-request-id']).toBe('comisaria-trace-0001');
  });

  it('serves the OpenAPI document generated from the DTOs', async () => {
    const response = await t.http().get('/api/docs-json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/houses',
        '/api/v1/occupancy',
        '/api/v1/beds/{id}',
        '/api/v1/reports/indicators',
        '/api/v1/occupancy/forecast',
      ]),
    );
    expect(response.body.components.schemas.CreateUserDto.properties.role.enum).toEqual([
      'admin',
      'admission_officer',
      'house_coordinator',
      'team_member',
      'analyst',
    ]);
    await t.http().get('/api/docs').expect(200);
  });

  it('answers an unexpected failure with 500 INTERNAL, a request id and nothing else', async () => {
    // A table the code relies on disappears: the driver's message must not reach the caller.
    await t.dataSource.query('ALTER TABLE houses RENAME TO houses_gone');
    try {
      const response = await t.as(t.admin).get('/api/v1/houses').expect(500);
      expect(response.body).toEqual({
        statusCode: 500,
        code: 'INTERNAL',
        message: 'Internal error',
        requestId: response.headers['x-request-id'],
      });
    } finally {
      await t.dataSource.query('ALTER TABLE houses_gone RENAME TO houses');
    }
  });
});
