import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { Response } from 'supertest';
import { admitFamily, exitFamily } from './factories/casework';
import { createTestApp, TestApp } from './helpers/test-app';

/** Collects a binary body (supertest buffers only text by default). */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('Reports: the analyst role, scoping, suppression and exports', () => {
  let t: TestApp;
  let houseA: string;
  let houseB: string;
  let admin: string;
  let analyst: string;
  const today = DateTime.now().setZone('America/Bogota').toISODate() as string;
  const from = DateTime.now().setZone('America/Bogota').minus({ days: 60 }).toISODate() as string;
  const period = `from=${from}&to=${today}`;

  const get = (path: string, token: string) => t.as(token).get(`/api/v1${path}`);

  beforeAll(async () => {
    t = await createTestApp();
    [houseA, houseB] = (await t.houses()).map((h) => h.id);
    admin = await t.adminToken();
    analyst = await t.tokenFor('analyst');
    // House A: 3 families (3 women, 4 dependants), two of them exited voluntarily, one for
    // breaking the rules; house B: 6 women alone, 5 of them exited at the term.
    for (const dependants of [2, 1, 1]) {
      await admitFamily(t, houseA, { dependants, daysAgo: 20 });
    }
    const a = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM stays WHERE house_id = $1 ORDER BY admitted_at, id`,
      [houseA],
    );
    await exitFamily(t, a[0].id);
    await exitFamily(t, a[1].id);
    for (let n = 0; n < 6; n++) {
      const family = await admitFamily(t, houseB, { dependants: 0, daysAgo: 30 });
      if (n < 5) {
        await t
          .http()
          .post(`/api/v1/stays/${family.stayId}/egress`)
          .set('Authorization', `Bearer ${admin}`)
          .send({ reason: 'term_completed' })
          .expect(200);
      }
    }
  }, 60_000);
  afterAll(() => t.close());

  describe('the analyst role', () => {
    it('is created without a house or discipline, and refused with either', async () => {
      const send = (body: object) =>
        t.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send(body);
      const base = { username: 'analista.omeg', password: 'una-clave-larga-123', role: 'analyst' };
      const created = await send(base).expect(201);
      expect(created.body).toMatchObject({ role: 'analyst', houseId: null, discipline: null });
      const withHouse = await send({ ...base, username: 'analista.2', houseId: houseA }).expect(
        400,
      );
      expect(withHouse.body.code).toBe('VALIDATION_FAILED');
      await send({ ...base, username: 'analista.3', discipline: 'legal' }).expect(400);
    });

    it('is refused every endpoint but the reports, with 403', async () => {
      const stay = (await t.dataSource.query<{ id: string }[]>('SELECT id FROM stays LIMIT 1'))[0];
      for (const path of [
        '/houses',
        `/houses/${houseA}/rooms`,
        '/occupancy',
        `/occupancy/history?${period}`,
        '/stays',
        `/stays/${stay.id}`,
        `/stays/${stay.id}/attentions`,
        '/referrals?status=received',
        '/follow-ups',
        '/alerts',
        '/users',
        '/audit',
      ]) {
        const res = await get(path, analyst);
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const post = await t
        .http()
        .post('/api/v1/referrals/00000000-0000-0000-0000-000000000000/reject')
        .set('Authorization', `Bearer ${analyst}`)
        .send({ reason: 'x' });
      expect(post.status).toBe(403);
    });

    it('always gets small counts suppressed, with complementary cells and rates withheld', async () => {
      const res = await get(`/reports/indicators?${period}&houseId=${houseA}`, analyst).expect(200);
      const { indicators, suppressed } = res.body;
      expect(indicators.womenServed).toBeNull();
      expect(indicators.dependantsServed).toBeNull();
      expect(indicators.admissions).toBeNull();
      expect(indicators.exits).toEqual({
        term_completed: null,
        voluntary: null,
        transferred_out: 0,
        rule_breach: 0,
        other: 0,
      });
      expect(indicators.averageStayDays).toBeNull();
      expect(indicators.medianHoursReferralToAdmission).toBeNull();
      expect(suppressed).toEqual(
        expect.arrayContaining([
          'womenServed',
          'exits.voluntary',
          'exits.term_completed',
          'averageStayDays',
        ]),
      );
      // No figure from 1 to 4 anywhere in what she gets.
      const numbers = JSON.stringify(indicators).match(/-?\d+(\.\d+)?/g) ?? [];
      expect(numbers.map(Number).filter((n) => n >= 1 && n < 5 && Number.isInteger(n))).toEqual([]);
    });

    it('sees the whole network with counts of 5 and more published', async () => {
      const res = await get(`/reports/indicators?${period}&houseId=${houseB}`, analyst).expect(200);
      expect(res.body.indicators.womenServed).toBe(6);
      expect(res.body.indicators.exits.term_completed).toBe(5);
      expect(res.body.indicators.averageStayDays).toEqual(expect.any(Number));
    });
  });

  describe('who may read which house', () => {
    it('gives admins and officers every figure unsuppressed, and audience=public suppressed', async () => {
      const officer = await t.tokenFor('admission_officer');
      const full = await get(`/reports/indicators?${period}&houseId=${houseA}`, officer).expect(
        200,
      );
      expect(full.body.suppressed).toEqual([]);
      expect(full.body.indicators).toMatchObject({
        womenServed: 3,
        dependantsServed: 4,
        childrenServed: 4,
        admissions: 3,
        peopleAdmitted: 7,
        exits: { voluntary: 2, term_completed: 0 },
      });
      const pub = await get(
        `/reports/indicators?${period}&houseId=${houseA}&audience=public`,
        admin,
      ).expect(200);
      expect(pub.body.indicators.womenServed).toBeNull();
    });

    it('holds a coordinator to her house (404 for another) and refuses team members', async () => {
      const coordinator = await t.tokenFor('house_coordinator', houseA);
      await get(`/reports/indicators?${period}&houseId=${houseA}`, coordinator).expect(200);
      const own = await get(`/reports/indicators?${period}`, coordinator).expect(200);
      expect(own.body.houseId).toBe(houseA);
      const other = await get(`/reports/indicators?${period}&houseId=${houseB}`, coordinator);
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('NOT_FOUND');
      const team = await t.tokenFor('team_member', houseA, 'psychology');
      expect((await get(`/reports/indicators?${period}`, team)).status).toBe(403);
      await t.http().get(`/api/v1/reports/indicators?${period}`).expect(401);
    });

    it('answers 404 for an unknown house and 400 for bad dates, formats and fields', async () => {
      await get(
        `/reports/indicators?${period}&houseId=00000000-0000-4000-8000-000000000000`,
        admin,
      ).expect(404);
      for (const query of [
        `from=2026-02-30&to=${today}`,
        `from=${today}&to=${from}`,
        `${period}&format=pdf`,
        `${period}&audience=everyone`,
        `${period}&houseId=abc`,
        `${period}&extra=1`,
        `to=${today}`,
      ]) {
        const res = await get(`/reports/indicators?${query}`, admin);
        expect({ query, status: res.status, code: res.body.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    });
  });

  describe('exports', () => {
    it('writes a CSV in UTF-8 with a BOM, a header naming period, house and suppression, and Spanish rows', async () => {
      const res = await get(`/reports/indicators?${period}&houseId=${houseA}&format=csv`, analyst)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(
        new RegExp(
          `^attachment; filename="indicadores_[A-Z0-9-]+_${from}_${today}_publico\\.csv"$`,
        ),
      );
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = body.subarray(3).toString('utf8').trimEnd().split('\r\n');
      expect(lines[0]).toContain(`Periodo: ${from} a ${today}`);
      expect(lines[0]).toMatch(/Casa: [A-Z0-9-]+/);
      expect(lines[0]).toContain('Supresión: conteos de 1 a 4');
      expect(lines[1]).toBe('indicador,clave,valor');
      expect(lines).toContain('Mujeres atendidas,,suprimido');
      expect(lines).toContain('Egresos por motivo,Voluntario,suprimido');
      expect(lines).toContain('Egresos por motivo,Otro,0');
    });

    it('writes an Excel workbook whose sheet "Indicadores" reads back the same figures', async () => {
      const json = await get(`/reports/indicators?${period}`, admin).expect(200);
      const res = await get(`/reports/indicators?${period}&format=xlsx`, admin)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="indicadores_red_${from}_${today}.xlsx"`,
      );
      const workbook = new ExcelJS.Workbook();
      const bytes = res.body as Buffer;
      await workbook.xlsx.load(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      );
      const sheet = workbook.getWorksheet('Indicadores');
      expect(sheet).toBeDefined();
      const rows: unknown[][] = [];
      sheet!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows[0][0]).toBe(`Periodo: ${from} a ${today}`);
      expect(rows[0][1]).toBe('Casa: toda la red');
      expect(String(rows[0][2])).toMatch(/^Supresión: ninguna/);
      expect(rows[1]).toEqual(['indicador', 'clave', 'valor']);
      const value = (indicador: string, clave = '') =>
        rows.find((r) => r[0] === indicador && r[1] === clave)?.[2];
      const ind = json.body.indicators;
      expect(value('Mujeres atendidas')).toBe(ind.womenServed);
      expect(value('Personas a cargo atendidas')).toBe(ind.dependantsServed);
      expect(value('Egresos por motivo', 'Término cumplido')).toBe(ind.exits.term_completed);
      expect(value('Egresos por motivo', 'Voluntario')).toBe(ind.exits.voluntary);
      expect(value('Cupos-noche ocupados')).toBe(ind.bedNights);
      expect(value('Tasa de ocupación')).toBe(ind.occupancyRate);
      const leaves = (node: unknown): number =>
        node !== null && typeof node === 'object'
          ? Object.values(node).reduce((n: number, v) => n + leaves(v), 0)
          : 1;
      expect(rows).toHaveLength(2 + leaves(ind));
    });
  });
});
