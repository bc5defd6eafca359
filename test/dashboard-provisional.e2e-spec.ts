import { Browser } from 'playwright-core';
import { provisionalReferralBody, referralBody } from './factories/referrals';
import { auditView, launchBrowser, login, newPage } from './helpers/browser';
import { useTestApp } from './helpers/test-app';

const HOUR = 3600 * 1000;
const PASSWORD = 'dashboard-password-123';

/**
 * Provisional admissions in the dashboard: the officer's queue tells a referral without its
 * order apart, and the stay's file warns when the order is overdue and records it.
 */
describe('The dashboard with provisional admissions (Chromium)', () => {
  const t = useTestApp();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  async function user(username: string, role: string, houseId?: string): Promise<void> {
    await t
      .as(t.admin)
      .post('/api/v1/users')
      .send({ username, password: PASSWORD, role, ...(houseId ? { houseId } : {}) })
      .expect(201);
  }

  it('shows "Medida: provisional" in the queue, "Medida vencida" on the stay, and records the order', async () => {
    const [house] = await t.houses();
    await user('oficial.provisional', 'admission_officer');
    await user('coordinadora.provisional', 'house_coordinator', house.id);
    const waiting = await t.referral(provisionalReferralBody({ reason: 'Riesgo inminente' }));
    const ordinary = await t.referral(referralBody());
    const admitted = await t.referral(provisionalReferralBody({ dependants: 1 }));
    const stay = await t.admit(admitted.id, {
      houseId: house.id,
      admittedAt: new Date(Date.now() - 80 * HOUR).toISOString(),
    });
    expect(stay.orderOverdue).toBe(true);

    const { page, errors } = await newPage(browser);
    await login(page, t.baseUrl, 'oficial.provisional', PASSWORD);
    await page.getByRole('button', { name: 'Ingresos' }).click();
    const row = page.locator(`tr[data-referral-id="${waiting.id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Medida: provisional');
    const other = await page.locator(`tr[data-referral-id="${ordinary.id}"]`).innerText();
    expect(other).toContain('Medida: 11001-CF-2026-');
    expect(other).not.toContain('provisional');
    const violations = await auditView(page, 'officer-queue-provisional');
    await row.click();
    await page.locator('#referral-order').waitFor();
    expect(await page.locator('#referral-order').innerText()).toContain('Riesgo inminente');
    violations.push(...(await auditView(page, 'officer-referral-provisional')));
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();

    await login(page, t.baseUrl, 'coordinadora.provisional', PASSWORD);
    const stayRow = page.locator(`#stays tr[data-stay-id="${stay.id}"]`);
    await stayRow.waitFor();
    expect(await stayRow.innerText()).toContain('Medida vencida');
    await stayRow.getByRole('button', { name: /^Expediente/ }).click();
    const due = page.locator('#order-due');
    await due.waitFor();
    expect(await due.innerText()).toMatch(/^Medida vencida desde el /);
    violations.push(...(await auditView(page, 'coordinator-casefile-order-overdue')));

    const form = page.locator('#order-form');
    await form.getByLabel('Radicado').fill('11001-CF-2026-77001');
    await form.getByLabel('Tipo de autoridad').selectOption('comisaria_familia');
    await form.getByLabel('Autoridad que la expidió').fill('Comisaría de Familia Usme');
    await form.getByLabel('Fecha de la medida').fill('2026-11-20');
    await form.getByRole('button', { name: 'Registrar medida' }).click();
    await page.locator('#order-attached').waitFor();
    expect(await page.locator('#order-attached').innerText()).toContain(
      'Medida 11001-CF-2026-77001 de Comisaría de Familia Usme',
    );
    expect(await page.locator('#order-form').count()).toBe(0);
    violations.push(...(await auditView(page, 'coordinator-casefile-order-attached')));
    const after = await t.as(t.officer).get(`/api/v1/stays/${stay.id}`).expect(200);
    expect(after.body).toMatchObject({ provisional: false, orderOverdue: false });

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
