import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { createReferral } from './factories/referrals';
import { createTestApp, TestApp } from './helpers/test-app';

const ARTIFACTS = join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function login(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/dashboard/`);
  await page.getByLabel('Usuario').fill(username);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

describe('The dashboard in a real browser (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  const password = 'dashboard-password-123';

  async function user(username: string, role: string, houseId?: string): Promise<void> {
    await t
      .as(admin)
      .post('/api/v1/users')
      .send({ username, password, role, ...(houseId ? { houseId } : {}) })
      .expect(201);
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is required at ${CHROMIUM} (apt-get install chromium)`);
    }
    t = await createTestApp();
    admin = await t.adminToken();
    // Every test may log in as the officer, whichever runs alone.
    await user('oficial.ingreso', 'admission_officer');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows an officer the network totals of /occupancy, and admits a referral whose beds turn occupied', async () => {
    const referral = await t.referral({ dependants: 2 }, { as: admin });

    const page = await browser.newPage({ viewport: { width: 1024, height: 900 }, locale: 'es-CO' });
    await login(page, t.baseUrl, 'oficial.ingreso', password);
    await page.getByRole('heading', { name: 'Red de casas' }).waitFor();
    const occupancy = await t.as(admin).get('/api/v1/occupancy').expect(200);
    for (const key of ['capacity', 'occupied', 'free', 'outOfService'] as const) {
      const shown = await page.locator(`[data-metric="${key}"]`).textContent();
      expect(Number((shown ?? '').replace(/\D/g, ''))).toBe(occupancy.body.totals[key]);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'network.png'), fullPage: true });

    await page.getByRole('button', { name: 'Ingresos' }).click();
    const row = page.locator(`tr[data-referral-id="${referral.id}"]`);
    await row.getByRole('button', { name: 'Ver opciones' }).click();
    await page
      .getByRole('button', { name: /^Admitir en CR-/ })
      .first()
      .click();
    await page.locator('#admitted').waitFor();
    const stayId = await page.locator('#admitted').getAttribute('data-stay-id');
    const stay = await t.as(admin).get(`/api/v1/stays/${stayId}`).expect(200);
    expect(stay.body.occupants).toHaveLength(3);
    for (const occupant of stay.body.occupants as { bedId: string }[]) {
      await expect(
        page.locator(`[data-bed-id="${occupant.bedId}"]`).getAttribute('data-state'),
      ).resolves.toBe('occupied');
    }
    await expect(page.locator('#status').textContent()).resolves.toContain('Ingreso registrado');
    await page.screenshot({ path: join(ARTIFACTS, 'admission.png'), fullPage: true });

    await page.getByRole('button', { name: 'Ocupación en el tiempo' }).click();
    await page.locator('#history-chart svg').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'history.png'), fullPage: true });
    await page.close();
  });

  it('shows a coordinator only her house, with its bed map and stays', async () => {
    const houses = await t.houses();
    const own = houses[1];
    await user('coordinadora.cr2', 'house_coordinator', own.id);
    const page = await browser.newPage({ viewport: { width: 800, height: 1000 }, locale: 'es-CO' });
    await login(page, t.baseUrl, 'coordinadora.cr2', password);
    await page.getByRole('heading', { name: new RegExp(`^${own.code} · `) }).waitFor();
    await expect(page.getByRole('button', { name: 'Red de casas' }).count()).resolves.toBe(0);
    await expect(page.locator('#house-picker').count()).resolves.toBe(0);
    const rooms = await t.as(admin).get(`/api/v1/houses/${own.id}/rooms`).expect(200);
    const bedCount = rooms.body.reduce((n: number, r: { beds: unknown[] }) => n + r.beds.length, 0);
    await expect(page.locator('[data-bed-id]').count()).resolves.toBe(bedCount);
    const otherBed = (await t.as(admin).get(`/api/v1/houses/${houses[0].id}/rooms`)).body[0].beds[0]
      .id;
    await expect(page.locator(`[data-bed-id="${otherBed}"]`).count()).resolves.toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'coordinator.png'), fullPage: true });
    await page.close();
  });

  it('answers a wrong password with a Spanish error and keeps the token out of reach', async () => {
    const page = await browser.newPage({ locale: 'es-CO' });
    await login(page, t.baseUrl, 'oficial.ingreso', 'not-the-password');
    await page.locator('#login-error:not(:empty)').waitFor();
    await expect(page.locator('#login-error').textContent()).resolves.toBe(
      'Usuario o contraseña incorrectos.',
    );
    await expect(page.evaluate('Object.keys(localStorage).length')).resolves.toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'login-error.png') });

    await login(page, t.baseUrl, 'oficial.ingreso', password);
    await page.getByRole('heading', { name: 'Red de casas' }).waitFor();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await expect(page.evaluate("sessionStorage.getItem('refugio.token')")).resolves.toBeNull();
    await page.close();
  });

  it('tells an officer when more referrals wait than the queue shows', async () => {
    await user('oficial.cola', 'admission_officer');
    const waiting = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM referrals WHERE status = 'received'`,
    );
    for (let i = waiting[0].n; i <= 100; i++) {
      await createReferral(t);
    }
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 }, locale: 'es-CO' });
    await login(page, t.baseUrl, 'oficial.cola', password);
    await page.getByRole('button', { name: 'Ingresos' }).click();
    await page.locator('#queue').waitFor();
    expect(await page.locator('#queue-more').textContent()).toContain('Hay más de 100 remisiones');
    expect(await page.locator('#queue tbody tr').count()).toBe(100);
    await page.close();
  });
});
