import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { referralBody } from './factories/referrals';
import { createReferral } from './factories/referrals';
import {
  ARTIFACTS,
  auditView,
  DESKTOP,
  launchBrowser,
  login,
  newPage,
  TABLET,
} from './helpers/browser';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant in Bogotá. */
const bogotaDate = (instant: Date): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Bogota' }).format(instant);

describe('The dashboard in a real browser (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  const password = 'dashboard-password-123';

  const asAdmin = () => ({ Authorization: `Bearer ${admin}` });

  async function user(
    username: string,
    role: string,
    houseId?: string,
    discipline?: string,
  ): Promise<void> {
    await t
      .as(admin)
      .post('/api/v1/users')
      .send({ username, password, role, ...(houseId ? { houseId } : {}), discipline })
      .expect(201);
  }

  /** `GET path` as the admin, answered 200. */
  const adminGet = (path: string) => t.http().get(path).set(asAdmin()).expect(200);

  async function referral(body: object): Promise<string> {
    const response = await t.http().post('/api/v1/referrals').set(asAdmin()).send(body).expect(201);
    return response.body.id as string;
  }

  /** The page's end: no accessibility violation found on the way, no error in the page. */
  async function closeClean(page: Page, violations: string[], errors: string[]): Promise<void> {
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }

  /** The first house's id, with a psychologist of its team named `username`. */
  async function houseWithPsychologist(username: string): Promise<string> {
    const houseId = (await t.houses())[0].id;
    await user(username, 'team_member', houseId, 'psychology');
    return houseId;
  }

  /** The first of the referral's placement options, as the API ranks them. */
  async function bestPlacement(
    referralId: string,
  ): Promise<{ houseId: string; houseCode: string; beds: string[] }> {
    const options = await adminGet(`/api/v1/referrals/${referralId}/placement-options`);
    return options.body[0] as { houseId: string; houseCode: string; beds: string[] };
  }

  /** A woman and `dependants` children, referred and admitted to the house through the API. */
  const admitted = async (houseId: string, dependants = 0, admittedAt?: string) =>
    t.admit(await referral(referralBody({ dependants })), { houseId, admittedAt });

  beforeAll(async () => {
    // The first follow-up falls due two seconds after egress, so the coordinator sees one due and
    // three scheduled, as she would after a real egress (the test default is two in seconds).
    t = await createTestApp({ env: { FOLLOW_UP_SCHEDULE: 'PT2S,P1M,P3M,P6M' } });
    admin = await t.adminToken();
    // Every test may log in as the officer, whichever runs alone.
    await user('oficial.ingreso', 'admission_officer');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets an admin erase a case from the referral after a confirmation that names what is lost, then shows "Datos suprimidos"', async () => {
    await user('admin.supresion', 'admin');
    const id = await referral({
      ...referralBody(),
      woman: {
        fullName: 'Yolanda Suprimida Vélez',
        documentType: 'CC',
        documentNumber: '41222333',
      },
    });
    const { page, errors } = await newPage(browser);
    await login(page, t.baseUrl, 'admin.supresion', password);
    await page.getByRole('button', { name: 'Ingresos' }).click();
    await page.locator(`tr[data-referral-id="${id}"] td`).nth(2).click();
    await page.locator('#family').waitFor();
    expect(await page.locator('#family').innerText()).toContain('Yolanda Suprimida Vélez');
    await page.locator('#erase-case').click();
    const intro = await page.locator('#erase-intro').innerText();
    for (const lost of [
      'nombres',
      'documentos',
      'medida de protección',
      'notas del caso',
      'procesos legales',
      'egreso',
    ]) {
      expect(intro).toContain(lost);
    }
    expect(intro).toContain('los informes no cambian');
    const violations = await auditView(page, 'admin-erase-confirmation');
    await page.getByLabel('Motivo de la supresión').fill('Solicitud de la titular');
    await page.getByRole('button', { name: 'Suprimir para siempre' }).click();
    await page.locator('#referral-erased').waitFor();
    const family = await page.locator('#family').innerText();
    expect(family).toContain('Datos suprimidos');
    expect(family).not.toContain('Yolanda');
    expect(await page.locator('#erase-case').count()).toBe(0);
    // Nobody places or rejects an erased case.
    expect(await page.locator('#placement').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rechazar remisión' }).count()).toBe(0);
    violations.push(...(await auditView(page, 'admin-erased-case')));
    // Back in the queue, her row says so instead of a dash.
    await page.getByRole('button', { name: 'Ingresos' }).click();
    const row = page.locator(`tr[data-referral-id="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Datos suprimidos');
    const stored = await adminGet(`/api/v1/referrals/${id}`);
    expect(stored.body.erased).toBe(true);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("walks the officer's night: opens a referral with the whole family, confirms the beds, admits, then rejects another", async () => {
    const document = '52999111';
    const earlier = await referral({
      ...referralBody(),
      woman: { fullName: 'Ana María Rojas', documentType: 'CC', documentNumber: document },
    });
    await t
      .http()
      .post(`/api/v1/referrals/${earlier}/reject`)
      .set(asAdmin())
      .send({ reason: 'Duplicada', reasonCode: 'duplicate' })
      .expect(200);
    const body = {
      ...referralBody(),
      woman: {
        fullName: 'Ana María Rojas',
        documentType: 'CC',
        documentNumber: document,
        birthDate: '1991-06-15',
      },
      dependants: [
        {
          fullName: 'Tomás Rojas',
          birthDate: bogotaDate(new Date(Date.now() - 7.5 * 365 * DAY_MS)),
          relationship: 'child',
        },
        {
          fullName: 'Lucía Rojas',
          birthDate: bogotaDate(new Date(Date.now() - 250 * DAY_MS)),
          relationship: 'child',
        },
      ],
      riskLevel: 'extreme',
      notes: 'El niño mayor tiene asma.',
    };
    const id = await referral(body);
    const other = await referral({
      ...referralBody(),
      woman: { fullName: 'Carmen Pérez', documentType: 'NONE' },
    });

    const { page, errors } = await newPage(browser);
    await login(page, t.baseUrl, 'oficial.ingreso', password);
    await page.getByRole('heading', { name: 'Red de casas' }).waitFor();
    const occupancy = await adminGet('/api/v1/occupancy');
    for (const key of ['capacity', 'occupied', 'free', 'outOfService'] as const) {
      const shown = await page.locator(`[data-metric="${key}"]`).textContent();
      expect(Number((shown ?? '').replace(/\D/g, ''))).toBe(occupancy.body.totals[key]);
    }
    // The forecast of freed places (its own request) is on screen before the picture.
    await page.locator('#forecast:not(:has-text("Cargando"))').waitFor();
    expect(await page.locator('#forecast h3').innerText()).toBe(
      'Cupos que se liberan en los próximos 30 días',
    );
    const violations = await auditView(page, 'officer-network');

    await page.getByRole('button', { name: 'Ingresos' }).click();
    await page.locator(`tr[data-referral-id="${id}"]`).waitFor();
    violations.push(...(await auditView(page, 'officer-queue')));
    // A click anywhere on the row opens the referral.
    await page.locator(`tr[data-referral-id="${id}"] td`).nth(2).click();
    const family = page.locator('#family');
    await family.waitFor();
    const familyText = await family.innerText();
    expect(familyText).toContain('Ana María Rojas');
    expect(familyText).toMatch(/Tomás Rojas\s+Hijo o hija\s+.+\s+7 años/);
    expect(familyText).toMatch(/Lucía Rojas\s+Hijo o hija\s+.+\s+8 meses/);
    const view = await page.locator('#referral').innerText();
    expect(view).toContain('El niño mayor tiene asma.');
    expect(view).toContain(
      (body as { protectionOrder?: { number: string } }).protectionOrder?.number ?? '-',
    );
    expect(view).toContain('Extremo');
    expect(await page.locator('#prior tbody tr').count()).toBe(1);
    expect(await page.locator('#prior').innerText()).toContain('Rechazada');
    await page.locator('#placement .options').waitFor();
    violations.push(...(await auditView(page, 'officer-referral')));

    const best = await bestPlacement(id);
    await page.getByRole('button', { name: `Admitir en ${best.houseCode}…` }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirmar el ingreso' });
    await dialog.waitFor();
    const confirmation = await dialog.innerText();
    expect(confirmation).toContain(best.houseCode);
    expect(confirmation).toContain('3 personas');
    for (const name of ['Ana María Rojas', 'Tomás Rojas', 'Lucía Rojas']) {
      expect(confirmation).toContain(name);
    }
    violations.push(...(await auditView(page, 'officer-confirm-admission')));
    await dialog.getByRole('button', { name: 'Admitir', exact: true }).click();
    await page.locator('#admitted').waitFor();
    const stayId = await page.locator('#admitted').getAttribute('data-stay-id');
    const stay = await adminGet(`/api/v1/stays/${stayId}`);
    // The beds given are the beds the officer confirmed.
    expect((stay.body.occupants as { bedId: string }[]).map((o) => o.bedId)).toEqual(best.beds);
    for (const bedId of best.beds) {
      await expect(
        page.locator(`[data-bed-id="${bedId}"]`).getAttribute('data-state'),
      ).resolves.toBe('occupied');
    }
    await expect(page.locator('#status').textContent()).resolves.toContain(
      `Ingreso registrado en ${best.houseCode} para 3 personas`,
    );
    await page.locator('#referral dd:has-text("Admitida")').waitFor();
    violations.push(...(await auditView(page, 'officer-admitted')));

    await page.getByRole('button', { name: 'Volver a la cola' }).click();
    // The admission's message does not follow her to the next referral.
    await page.locator(`tr[data-referral-id="${other}"]`).waitFor();
    expect((await page.locator('#status').textContent())?.trim()).toBe('');
    await page
      .locator(`tr[data-referral-id="${other}"]`)
      .getByRole('button', { name: /^Abrir/ })
      .click();
    await page.getByRole('button', { name: 'Rechazar remisión' }).click();
    const reject = page.getByRole('dialog', { name: 'Rechazar la remisión' });
    // The coded reason is required: without a choice the form does not leave the page.
    await reject.getByLabel('Detalle (opcional, solo lo ve el equipo)').fill('Ya está en CR-2');
    await reject.getByRole('button', { name: 'Rechazar', exact: true }).click();
    expect(
      await reject
        .getByLabel('Motivo del rechazo')
        .evaluate((e) => (e as unknown as { validity: { valid: boolean } }).validity.valid),
    ).toBe(false);
    violations.push(...(await auditView(page, 'officer-reject')));
    await reject
      .getByLabel('Motivo del rechazo')
      .selectOption({ label: 'La mujer decidió no ingresar' });
    await reject.getByRole('button', { name: 'Rechazar', exact: true }).click();
    await page.getByRole('heading', { name: 'Ingresos' }).waitFor();
    await page.locator('#status:has-text("rechazada")').waitFor();
    expect(await page.locator(`tr[data-referral-id="${other}"]`).count()).toBe(0);
    const rejected = await adminGet(`/api/v1/referrals/${other}`);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      statusReasonCode: 'woman_declined',
      statusReason: 'Ya está en CR-2',
    });

    // Search: too short is refused in Spanish; her surname finds both referrals and the stay.
    await page.getByLabel('Nombre, número de documento o referencia').fill('Ro');
    await page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await page.locator('.search [role="alert"]:has-text("al menos 3")').waitFor();
    await page.getByLabel('Nombre, número de documento o referencia').fill('rojas');
    await page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await page.locator(`#search-referrals tr[data-referral-id="${id}"]`).waitFor();
    expect(await page.locator(`#search-referrals tr[data-referral-id="${earlier}"]`).count()).toBe(
      1,
    );
    const found = await page.locator(`#search-stays tr[data-stay-id="${stayId}"]`).innerText();
    expect(found).toContain(stay.body.familyLabel as string);
    expect(found).toMatch(/Tomás Rojas, 7 años/);
    violations.push(...(await auditView(page, 'officer-search')));
    // The earlier, rejected referral names its coded reason in Spanish.
    await page
      .locator(`#search-referrals tr[data-referral-id="${earlier}"]`)
      .getByRole('button')
      .click();
    await page.locator('#referral-reason-code:has-text("Remisión duplicada")').waitFor();

    await page.getByRole('button', { name: 'Ocupación en el tiempo' }).click();
    await page.locator('#history-chart canvas').first().waitFor();
    const axis = await page.locator('#history-chart').innerText();
    expect(axis).toContain('Personas alojadas');
    violations.push(...(await auditView(page, 'officer-history')));

    // Staff read the same indicators whole, with the nightly occupancy against capacity.
    await page.getByRole('button', { name: 'Informes' }).click();
    await page.locator('#indicators').waitFor();
    expect(await page.locator('#suppression-note').innerText()).toContain('Cifras completas');
    await expect(page.getByLabel('Casa').locator('option').count()).resolves.toBe(6);
    await page.locator('#reports-occupancy canvas').first().waitFor();
    violations.push(...(await auditView(page, 'officer-reports')));
    await closeClean(page, violations, errors);
  }, 90_000);

  it("walks the coordinator's day: extension, egress with a date and a confirmation, a follow-up recorded", async () => {
    const own = (await t.houses())[1];
    await user('coordinadora.cr2', 'house_coordinator', own.id);
    const admittedAt = new Date(Date.now() - 20 * DAY_MS).toISOString();
    const stays = [await admitted(own.id, 1, admittedAt), await admitted(own.id, 2, admittedAt)];
    const [extended, exiting] = stays;

    const { page, errors } = await newPage(browser, TABLET);
    await login(page, t.baseUrl, 'coordinadora.cr2', password);
    await page.getByRole('heading', { name: new RegExp(`^${own.code} · `) }).waitFor();
    await page.locator(`#stays tr[data-stay-id="${extended.id}"]`).waitFor();
    await expect(page.getByRole('button', { name: 'Red de casas' }).count()).resolves.toBe(0);
    await expect(page.locator('#house-picker').count()).resolves.toBe(0);
    const rooms = await adminGet(`/api/v1/houses/${own.id}/rooms`);
    const bedCount = rooms.body.reduce((n: number, r: { beds: unknown[] }) => n + r.beds.length, 0);
    await expect(page.locator('[data-bed-id]').count()).resolves.toBe(bedCount);
    // Each family by its stable label, with names and ages (not a position in the list).
    for (const s of stays) {
      const shown = await adminGet(`/api/v1/stays/${s.id}`);
      const cell = await page.locator(`#stays tr[data-stay-id="${s.id}"] th`).innerText();
      expect(cell).toContain(shown.body.familyLabel as string);
      for (const person of shown.body.family as { fullName: string }[]) {
        expect(cell).toContain(person.fullName);
      }
    }
    await expect(page.locator('#stays').innerText()).resolves.not.toMatch(/Familia \d/);
    const violations = await auditView(page, 'coordinator-house');
    const woman = (await adminGet(`/api/v1/stays/${extended.id}`)).body.family.find(
      (p: { role: string }) => p.role === 'woman',
    ).fullName as string;
    await page
      .getByLabel('Nombre, número de documento o referencia')
      .fill(woman.split(' ').pop() as string);
    await page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await page.locator(`#search-stays tr[data-stay-id="${extended.id}"]`).waitFor();
    await expect(page.locator('#search-referrals').count()).resolves.toBe(0);
    violations.push(...(await auditView(page, 'coordinator-search')));

    // Extension: first past the maximum (the page says the limit in months), then within it.
    const row = page.locator(`#stays tr[data-stay-id="${extended.id}"]`);
    await row.getByRole('button', { name: /^Prórroga/ }).click();
    const extension = page.getByRole('dialog', { name: 'Prórroga de la permanencia' });
    await extension.getByLabel('Motivo de la prórroga').fill('Espera la audiencia de custodia');
    // The field's own max would stop the browser first; the API's answer is what is tested.
    await page.evaluate("document.getElementById('until').removeAttribute('max')");
    await extension
      .getByLabel('Nueva fecha de término')
      .fill(bogotaDate(new Date(Date.parse(extended.maxEndsAt) + 5 * DAY_MS)));
    await extension.getByRole('button', { name: 'Guardar prórroga' }).click();
    await extension.getByRole('alert').filter({ hasText: 'máximo' }).waitFor();
    await expect(extension.getByRole('alert').textContent()).resolves.toBe(
      'La prórroga supera el máximo de 6 meses de permanencia.',
    );
    violations.push(...(await auditView(page, 'coordinator-extension')));
    const until = bogotaDate(new Date(Date.parse(extended.termEndsAt) + 20 * DAY_MS));
    await extension.getByLabel('Nueva fecha de término').fill(until);
    await extension.getByRole('button', { name: 'Guardar prórroga' }).click();
    await page.locator('#status:has-text("Prórroga registrada")').waitFor();
    const afterExtension = await adminGet(`/api/v1/stays/${extended.id}`);
    expect(afterExtension.body.extensions).toHaveLength(1);
    expect(bogotaDate(new Date(afterExtension.body.termEndsAt))).toBe(until);

    // Her consents, on the family's file: nothing recorded yet; she authorises follow-up contact
    // (without it egress schedules no follow-up) and sharing with an authority until a date.
    await page
      .locator(`#stays tr[data-stay-id="${exiting.id}"]`)
      .getByRole('button', { name: /^Expediente/ })
      .click();
    const consents = page.locator('#consents');
    await consents.waitFor();
    await expect(consents.locator('tbody').innerText()).resolves.toMatch(
      /Contacto para seguimiento\s+Sin registrar[\s\S]*Compartir con autoridad\s+Sin registrar/,
    );
    await consents.getByRole('button', { name: 'Autorizar: Contacto para seguimiento' }).click();
    const grant = page.getByRole('dialog', { name: 'Registrar autorización' });
    violations.push(...(await auditView(page, 'coordinator-consent-grant')));
    await grant.getByRole('button', { name: 'Registrar autorización' }).click();
    await consents.locator('tr[data-purpose="follow_up_contact"][data-granted="true"]').waitFor();
    const lastDay = bogotaDate(new Date(Date.now() + 60 * DAY_MS));
    await consents.getByRole('button', { name: 'Autorizar: Compartir con autoridad' }).click();
    await grant.getByLabel('Vigente hasta (opcional)').fill(lastDay);
    await grant.getByRole('button', { name: 'Registrar autorización' }).click();
    const sharing = consents.locator(
      'tr[data-purpose="share_with_authority"][data-granted="true"]',
    );
    await sharing.waitFor();
    expect(await sharing.innerText()).toMatch(/Autorizada\s+Hasta el/);
    violations.push(...(await auditView(page, 'coordinator-consents')));
    const recordedConsents = await adminGet(`/api/v1/stays/${exiting.id}/consents`);
    expect(recordedConsents.body.current).toEqual([
      expect.objectContaining({ purpose: 'follow_up_contact', granted: true, expiresOn: null }),
      expect.objectContaining({
        purpose: 'share_with_authority',
        granted: true,
        expiresOn: lastDay,
      }),
    ]);
    await page.getByRole('button', { name: 'Volver' }).click();

    // Egress recorded the next morning: yesterday at 18:30 in Bogotá, confirmed before it is sent.
    const yesterday = bogotaDate(new Date(Date.now() - DAY_MS));
    await page
      .locator(`tr[data-stay-id="${exiting.id}"]`)
      .getByRole('button', { name: /^Egreso/ })
      .click();
    const egress = page.getByRole('dialog', { name: 'Registrar egreso' });
    await egress.getByLabel('Fecha y hora del egreso').fill(`${yesterday}T18:30`);
    await egress.getByLabel('Motivo del egreso').selectOption('voluntary');
    await egress.getByLabel('Destino (opcional)').fill('Casa de su hermana');
    violations.push(...(await auditView(page, 'coordinator-egress')));
    await egress.getByRole('button', { name: 'Continuar' }).click();
    const confirm = page.getByRole('dialog', { name: 'Confirmar el egreso' });
    const text = await confirm.locator('#egress-confirmation').innerText();
    expect(text).toContain('3 personas');
    expect(text).toContain('Salida voluntaria');
    expect(text).toMatch(/6:30\s*p/);
    violations.push(...(await auditView(page, 'coordinator-confirm-egress')));
    await confirm.getByRole('button', { name: 'Confirmar egreso' }).click();
    await page.locator('#status:has-text("registrado")').waitFor();
    expect(await page.locator('#status').textContent()).toContain('Se programaron 4 seguimientos');
    const exited = await adminGet(`/api/v1/stays/${exiting.id}`);
    expect(exited.body.status).toBe('exited');
    expect(new Date(exited.body.exitedAt).toISOString()).toBe(
      new Date(`${yesterday}T18:30:00-05:00`).toISOString(),
    );
    // The list is read again after the egress: the family's row leaves it.
    await page
      .locator(`#stays tr[data-stay-id="${exiting.id}"]`)
      .waitFor({ state: 'detached', timeout: 10_000 });

    // The four follow-ups the egress scheduled, and one of them recorded from the page.
    const followUps = page.locator('#follow-ups tbody tr');
    await page.locator('#follow-ups tbody tr >> nth=3').waitFor();
    expect(await followUps.count()).toBe(4);
    // The first falls due while she looks (the page reloads every 30 s; the test reloads now).
    await page.waitForTimeout(3000);
    await page.getByRole('button', { name: 'Mi casa' }).click();
    await page.locator('#follow-ups tbody tr[data-status="due"]').waitFor();
    const first = await followUps.first().getAttribute('data-follow-up-id');
    await followUps
      .first()
      .getByRole('button', { name: /^Registrar seguimiento/ })
      .click();
    const record = page.getByRole('dialog', { name: 'Registrar seguimiento' });
    await record.getByLabel('Resultado').selectOption('contacted');
    await record.getByLabel('Observaciones (opcional)').fill('Está bien, vive con su hermana.');
    violations.push(...(await auditView(page, 'coordinator-follow-up')));
    await record.getByRole('button', { name: 'Guardar seguimiento' }).click();
    await page.locator('#status:has-text("Seguimiento del")').waitFor();
    await page
      .locator(`#follow-ups tr[data-follow-up-id="${first}"]`)
      .waitFor({ state: 'detached' });
    await expect(followUps.count()).resolves.toBe(3);
    const completed = await adminGet(`/api/v1/follow-ups/${first}`);
    expect(completed.body.status).toBe('completed');
    expect(completed.body.outcome).toBe('contacted');
    violations.push(...(await auditView(page, 'coordinator-after')));

    await page.getByRole('button', { name: 'Ocupación en el tiempo' }).click();
    await page.locator('#history-chart canvas').first().waitFor();
    // Her one house is shown in the picker, not an empty choice.
    await expect(
      page.getByLabel('Casa').evaluate((select) => (select as unknown as { value: string }).value),
    ).resolves.toBe(own.id);
    violations.push(...(await auditView(page, 'coordinator-history')));
    await closeClean(page, violations, errors);
  }, 90_000);

  it('answers a wrong password in Spanish, keeps the token out of reach and hides the sections once logged out', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${t.baseUrl}/dashboard/`);
    await page.locator('#username:focus').waitFor();
    await login(page, t.baseUrl, 'oficial.ingreso', 'not-the-password');
    await page.locator('#login-error:not(:empty)').waitFor();
    await expect(page.locator('#login-error').textContent()).resolves.toBe(
      'Usuario o contraseña incorrectos.',
    );
    await expect(page.evaluate('Object.keys(localStorage).length')).resolves.toBe(0);
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    const violations = await auditView(page, 'login-error');

    await login(page, t.baseUrl, 'oficial.ingreso', password);
    await page.getByRole('heading', { name: 'Red de casas' }).waitFor();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Ingresos' }).count()).resolves.toBe(0);
    await expect(page.locator('#login-error').textContent()).resolves.toBe('Sesión cerrada.');
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const favicon = await page.request.get(`${t.baseUrl}${icon}`);
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()['content-type']).toContain('image/svg+xml');
    // The one inline script (the import map) is allowed by its hash, nothing else inline.
    const csp = (await page.request.get(`${t.baseUrl}/dashboard/`)).headers()[
      'content-security-policy'
    ];
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    const vendor = await page.request.get(`${t.baseUrl}/dashboard/vendor/preact.mjs`);
    expect(vendor.headers()['content-type']).toContain('text/javascript');
    expect(
      (await page.request.get(`${t.baseUrl}/dashboard/vendor/..%2F..%2Fpackage.json`)).status(),
    ).toBe(404);
    expect((await page.request.get(`${t.baseUrl}/dashboard/tsconfig.json`)).status()).toBe(404);
    await closeClean(page, violations, errors);
  });

  it('keeps a night shift going: refreshes the token, asks the password in place when the session is revoked mid-form and sends what was typed', async () => {
    const own = (await t.houses())[2];
    await user('coordinadora.noche', 'house_coordinator', own.id);
    const stay = await admitted(own.id);
    const { page, errors } = await newPage(browser, TABLET);
    await login(page, t.baseUrl, 'coordinadora.noche', password);
    const row = page.locator(`tr[data-stay-id="${stay.id}"]`);
    await row.waitFor();
    const saved = async () =>
      JSON.parse(
        (await page.evaluate<string>("sessionStorage.getItem('refugio.session')")) ?? '{}',
      ) as {
        accessToken: string;
        refreshToken: string;
        expiresAt: number;
      };

    // An access token about to expire is traded before it does, with no one clicking.
    const first = await saved();
    const forcedExpiry = Date.now();
    await page.evaluate(
      `sessionStorage.setItem('refugio.session', JSON.stringify({ ...JSON.parse(sessionStorage.getItem('refugio.session')), expiresAt: Date.now() }))`,
    );
    await page.reload();
    await row.waitFor();
    await page.waitForFunction(
      `!(sessionStorage.getItem('refugio.session') ?? '').includes(${JSON.stringify(first.refreshToken)})`,
      undefined,
      { timeout: 10_000 },
    );
    const second = await saved();
    // A token issued in the same second as the first has the same claims, so the same text:
    // what shows the trade is the new refresh token and an expiry in the future again.
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.expiresAt).toBeGreaterThan(forcedExpiry);

    // Mid-form, the session is revoked (as when an admin disables and re-enables her, or the
    // 12 hours pass): the reason she typed survives the password dialog and is sent.
    await row.getByRole('button', { name: /^Prórroga/ }).click();
    const extension = page.getByRole('dialog', { name: 'Prórroga de la permanencia' });
    const reason = 'Audiencia de custodia el próximo mes, escrito a las 3 a. m.';
    await extension.getByLabel('Motivo de la prórroga').fill(reason);
    const until = bogotaDate(new Date(Date.parse(stay.termEndsAt) + 10 * DAY_MS));
    await extension.getByLabel('Nueva fecha de término').fill(until);
    await t
      .http()
      .post('/api/v1/auth/logout')
      .set({ Authorization: `Bearer ${second.accessToken}` })
      .expect(204);
    await extension.getByRole('button', { name: 'Guardar prórroga' }).click();
    const reauth = page.getByRole('dialog', { name: 'Tu sesión terminó' });
    await reauth.waitFor();
    expect(await reauth.innerText()).toContain('coordinadora.noche');
    const violations = await auditView(page, 'session-reauth');
    await reauth.getByLabel('Contraseña').fill('not-her-password');
    await reauth.getByRole('button', { name: 'Continuar' }).click();
    await reauth.getByRole('alert').filter({ hasText: 'incorrecta' }).waitFor();
    await expect(extension.getByLabel('Motivo de la prórroga').inputValue()).resolves.toBe(reason);
    await reauth.getByLabel('Contraseña').fill(password);
    await reauth.getByRole('button', { name: 'Continuar' }).click();
    await page.locator('#status:has-text("Prórroga registrada")').waitFor();
    const after = await adminGet(`/api/v1/stays/${stay.id}`);
    expect(after.body.extensions).toHaveLength(1);
    expect(after.body.extensions[0].reason).toBe(reason);
    expect(bogotaDate(new Date(after.body.termEndsAt))).toBe(until);
    // Still on her house, not thrown back to the login form.
    await expect(page.getByRole('heading', { name: 'Iniciar sesión' }).count()).resolves.toBe(0);

    // Logging out ends the session on the server: its refresh token is refused.
    const last = await saved();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: last.refreshToken })
      .expect(401);
    await t
      .http()
      .get('/api/v1/houses')
      .set({ Authorization: `Bearer ${last.accessToken}` })
      .expect(401);
    await closeClean(page, violations, errors);
  }, 60_000);

  it('asks for a new password at login after an admin reset it, then opens the app', async () => {
    await user('oficial.reseteada', 'admission_officer');
    const users = await adminGet('/api/v1/users');
    const id = (users.body as { id: string; username: string }[]).find(
      (u) => u.username === 'oficial.reseteada',
    )?.id;
    const reset = await t
      .http()
      .post(`/api/v1/users/${id}/reset-password`)
      .set(asAdmin())
      .expect(200);
    const { page, errors } = await newPage(browser);
    await login(page, t.baseUrl, 'oficial.reseteada', reset.body.temporaryPassword as string);
    await page.getByRole('heading', { name: 'Cambia tu contraseña' }).waitFor();
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    await page.locator('#new-password:focus').waitFor();
    await page.getByLabel('Nueva contraseña (mínimo 12 caracteres)').fill('nueva-clave-segura-1');
    await page.getByLabel('Repite la nueva contraseña').fill('otra-cosa-distinta');
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.getByRole('alert').filter({ hasText: 'no coinciden' }).waitFor();
    const violations = await auditView(page, 'login-password-change');
    await page.getByLabel('Repite la nueva contraseña').fill('nueva-clave-segura-1');
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.getByRole('heading', { name: 'Red de casas' }).waitFor();
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'oficial.reseteada', password: 'nueva-clave-segura-1' })
      .expect(200);

    // Anyone changes her own password from the header.
    await page.getByRole('button', { name: 'Cambiar contraseña' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cambiar mi contraseña' });
    await dialog.getByLabel('Contraseña actual').fill('nueva-clave-segura-1');
    await dialog.getByLabel('Nueva contraseña (mínimo 12 caracteres)').fill('otra-clave-segura-22');
    await dialog.getByLabel('Repite la nueva contraseña').fill('otra-clave-segura-22');
    violations.push(...(await auditView(page, 'own-password')));
    await dialog.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.locator('#status:has-text("Contraseña cambiada")').waitFor();
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'oficial.reseteada', password: 'otra-clave-segura-22' })
      .expect(200);
    await closeClean(page, violations, errors);
  }, 60_000);

  it('lets an admin create a team member, move someone to a house, reset a password shown once and disable an account', async () => {
    const houses = await t.houses();
    await user('admin.personas', 'admin');
    await user('oficial.movida', 'admission_officer');
    const { page, errors } = await newPage(browser, TABLET);
    await login(page, t.baseUrl, 'admin.personas', password);
    await page.getByRole('button', { name: 'Personas' }).click();
    await page.locator('#people tr[data-user="oficial.movida"]').waitFor();
    const violations = await auditView(page, 'admin-people');

    await page.getByRole('button', { name: 'Nueva cuenta…' }).click();
    const create = page.getByRole('dialog', { name: 'Nueva cuenta' });
    await create.getByLabel('Usuario').fill('psicologa.cr4');
    await create.getByLabel('Contraseña inicial').fill('clave-inicial-segura-1');
    await create.getByLabel('Rol').selectOption('team_member');
    await create.getByLabel('Casa').selectOption(houses[3].id);
    await create.getByLabel('Disciplina').selectOption('psychology');
    violations.push(...(await auditView(page, 'admin-create-user')));
    await create.getByRole('button', { name: 'Crear cuenta' }).click();
    await page.locator('#people tr[data-user="psicologa.cr4"]').waitFor();
    await expect(
      page.locator('#people tr[data-user="psicologa.cr4"]').innerText(),
    ).resolves.toMatch(new RegExp(`Equipo de la casa\\s+${houses[3].code}\\s+Psicología`));

    await page.getByRole('button', { name: 'Cambiar rol o casa de oficial.movida' }).click();
    const edit = page.getByRole('dialog', { name: /^Cambiar rol o casa/ });
    await edit.getByLabel('Rol').selectOption('house_coordinator');
    await edit.getByLabel('Casa').selectOption(houses[4].id);
    await edit.getByRole('button', { name: 'Guardar cambios' }).click();
    await page.locator('#status:has-text("oficial.movida actualizada")').waitFor();
    const listed = await adminGet('/api/v1/users');
    const moved = (listed.body as { username: string; role: string; houseId: string }[]).find(
      (u) => u.username === 'oficial.movida',
    );
    expect(moved).toMatchObject({ role: 'house_coordinator', houseId: houses[4].id });

    await page.getByRole('button', { name: 'Restablecer contraseña de oficial.movida' }).click();
    await page
      .getByRole('dialog', { name: 'Restablecer la contraseña' })
      .getByRole('button', { name: 'Restablecer', exact: true })
      .click();
    const shown = page.getByRole('dialog', { name: 'Contraseña temporal' });
    const temporary = ((await shown.locator('#one-time-password').textContent()) ?? '').trim();
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    violations.push(...(await auditView(page, 'admin-one-time-password')));
    await shown.getByRole('button', { name: 'Listo, ya la entregué' }).click();
    await expect(page.locator('#one-time-password').count()).resolves.toBe(0);
    const logged = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'oficial.movida', password: temporary })
      .expect(200);
    expect(logged.body.passwordChangeRequired).toBe(true);

    await page.getByRole('button', { name: 'Desactivar oficial.movida' }).click();
    await page
      .getByRole('dialog', { name: 'Desactivar la cuenta' })
      .getByRole('button', { name: 'Desactivar', exact: true })
      .click();
    await page.locator('#status:has-text("desactivada")').waitFor();
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'oficial.movida', password: temporary })
      .expect(401);
    await expect(
      page.locator('#people tr[data-user="oficial.movida"]').innerText(),
    ).resolves.toContain('Desactivada');
    violations.push(...(await auditView(page, 'admin-people-after')));
    await closeClean(page, violations, errors);
  }, 60_000);

  it("walks a psychologist's day and the family's file: an attention in two clicks and a discipline note the coordinator does not read; the coordinator acknowledges an alert", async () => {
    const houseId = await houseWithPsychologist('psicologa.cr1');
    await user('coordinadora.cr1', 'house_coordinator', houseId);
    const stay = await admitted(houseId, 1);
    await t
      .http()
      .post(`/api/v1/stays/${stay.id}/plan/goals`)
      .set(asAdmin())
      .send({ area: 'legal', description: 'Obtener la custodia provisional' })
      .expect(201);
    const [alert] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO alerts (house_id, kind, stay_id, due_at)
       VALUES ($1, 'order_overdue', $2, now()) RETURNING id`,
      [houseId, stay.id],
    );

    const { page, errors } = await newPage(browser, TABLET);
    await login(page, t.baseUrl, 'psicologa.cr1', password);
    await page.getByRole('heading', { name: 'Mi día' }).waitFor();
    const row = page.locator(`#day tr[data-stay-id="${stay.id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Obtener la custodia provisional');
    expect(await row.innerText()).toContain('Ninguna todavía');
    await page.locator(`#alerts tr[data-alert-id="${alert.id}"]`).waitFor();
    const violations = await auditView(page, 'team-day');

    // Two clicks: the file, then the attention (her discipline's usual kind, for the woman).
    await row.getByRole('button', { name: /^Expediente/ }).click();
    await page.getByRole('button', { name: 'Registrar atención' }).click();
    await page.locator('#attentions tbody tr').first().waitFor();
    expect(await page.locator('#attentions').innerText()).toContain('Terapia psicológica');
    const secret = 'Relata amenazas nuevas del agresor por teléfono.';
    await page.getByLabel('Nota', { exact: true }).fill(secret);
    await page.getByLabel('Quién la puede leer').selectOption('discipline');
    await page.getByRole('button', { name: 'Guardar nota' }).click();
    await page.locator(`#notes li:has-text("${secret}")`).waitFor();
    violations.push(...(await auditView(page, 'team-casefile')));
    const attentions = await adminGet(`/api/v1/stays/${stay.id}/attentions`);
    expect(attentions.body).toHaveLength(1);
    expect(attentions.body[0]).toMatchObject({
      discipline: 'psychology',
      kind: 'psychological_therapy',
    });
    await page.getByRole('button', { name: 'Volver' }).click();
    await expect(row.innerText()).resolves.toContain('Terapia psicológica');
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();

    await login(page, t.baseUrl, 'coordinadora.cr1', password);
    const alertRow = page.locator(`#alerts tr[data-alert-id="${alert.id}"]`);
    await alertRow.waitFor();
    violations.push(...(await auditView(page, 'coordinator-alerts')));
    await alertRow.getByRole('button', { name: /^Marcar como atendida/ }).click();
    await alertRow.waitFor({ state: 'detached' });
    const acknowledged = await adminGet(`/api/v1/alerts?houseId=${houseId}&status=acknowledged`);
    expect((acknowledged.body as { id: string }[]).map((a) => a.id)).toContain(alert.id);
    await page
      .locator(`#stays tr[data-stay-id="${stay.id}"]`)
      .getByRole('button', { name: /^Expediente/ })
      .click();
    await page.locator('#attentions tbody tr').first().waitFor();
    expect(await page.locator('#attentions').innerText()).toContain('Terapia psicológica');
    expect(await page.locator('#casefile').innerText()).not.toContain(secret);
    violations.push(...(await auditView(page, 'coordinator-casefile')));
    await closeClean(page, violations, errors);
  }, 90_000);

  it("lets a psychologist open an exited family's file from her day, record a follow-up with the woman at risk, and raises the house's alert", async () => {
    const houseId = await houseWithPsychologist('psicologa.seguimiento');
    const stay = await admitted(houseId);
    await t.egress(stay.id);

    const { page, errors } = await newPage(browser, TABLET);
    await login(page, t.baseUrl, 'psicologa.seguimiento', password);
    const row = page.locator(`#exited tr[data-stay-id="${stay.id}"]`);
    await row.waitFor();
    const violations = await auditView(page, 'team-day-exited');
    await row.getByRole('button', { name: /^Expediente/ }).click();
    const followUps = page.locator('#case-follow-ups tbody tr');
    await followUps.nth(3).waitFor();
    // No attention or note is written for a family that has left: the follow-up is what is.
    expect(await page.locator('#attention-form').count()).toBe(0);
    const first = followUps.first();
    const followUpId = (await first.getAttribute('data-follow-up-id')) as string;
    violations.push(...(await auditView(page, 'team-casefile-exited')));
    await first.getByRole('button', { name: /^Registrar seguimiento/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Registrar seguimiento' });
    await dialog.getByLabel('Resultado').selectOption('contacted');
    await dialog.getByLabel('Seguridad').selectOption('at_risk');
    await dialog.getByLabel('Vivienda').selectOption('temporary');
    await dialog
      .getByLabel('Avances jurídicos (opcional)')
      .fill('Denuncia radicada en la Fiscalía.');
    await dialog.getByLabel('Avances psicosociales (opcional)').fill('Retomó la terapia.');
    await dialog.getByLabel('Observaciones (opcional)').fill('El agresor la busca de nuevo.');
    violations.push(...(await auditView(page, 'team-follow-up-form')));
    await dialog.getByRole('button', { name: 'Guardar seguimiento' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('#follow-up-notice').innerText()).toContain(
      'se abrió una alerta para la casa',
    );
    const done = page.locator(`#case-follow-ups tr[data-follow-up-id="${followUpId}"]`);
    await page
      .locator(`#case-follow-ups tr[data-follow-up-id="${followUpId}"][data-status="completed"]`)
      .waitFor();
    const doneText = await done.innerText();
    expect(doneText).toContain('En riesgo');
    expect(doneText).toContain('Vivienda temporal');
    expect(doneText).toContain('Denuncia radicada en la Fiscalía.');
    violations.push(...(await auditView(page, 'team-follow-up-recorded')));

    const recorded = await adminGet(`/api/v1/follow-ups/${followUpId}`);
    expect(recorded.body).toMatchObject({
      status: 'completed',
      outcome: 'contacted',
      situation: {
        safety: 'at_risk',
        housing: 'temporary',
        legalProgress: 'Denuncia radicada en la Fiscalía.',
        psychosocialProgress: 'Retomó la terapia.',
      },
    });

    // She asks not to be contacted again: the team withdraws her consent on the file, which says
    // first that the pending follow-ups end; what was done stays done.
    await page
      .locator('#consents')
      .getByRole('button', { name: 'Retirar autorización: Contacto para seguimiento' })
      .click();
    const withdraw = page.getByRole('dialog', { name: 'Retirar autorización' });
    expect(await withdraw.innerText()).toContain('Los seguimientos pendientes se cancelarán');
    violations.push(...(await auditView(page, 'team-consent-withdraw')));
    await withdraw.getByRole('button', { name: 'Retirar autorización' }).click();
    await page.locator('#status:has-text("Se cancelaron 3 seguimientos pendientes")').waitFor();
    await page
      .locator('#consents tr[data-purpose="follow_up_contact"][data-granted="false"]')
      .waitFor();
    await page.locator('#case-follow-ups tr[data-status="cancelled"] >> nth=2').waitFor();
    expect(await page.locator('#case-follow-ups').innerText()).toContain(
      'Retiró la autorización de contacto',
    );
    expect(await done.getAttribute('data-status')).toBe('completed');
    violations.push(...(await auditView(page, 'team-consent-withdrawn')));
    const alerts = await adminGet(`/api/v1/alerts?houseId=${houseId}&status=open&kind=at_risk`);
    expect(
      (alerts.body as { stayId: string; kind: string }[]).filter(
        (a) => a.stayId === stay.id && a.kind === 'at_risk',
      ),
    ).toHaveLength(1);
    await closeClean(page, violations, errors);
  }, 90_000);

  it('lets an officer hold the beds of a family on her way, follow the time left in the queue, confirm one hold and cancel another', async () => {
    await user('oficial.reservas', 'admission_officer');
    const id = await referral({
      ...referralBody({ dependants: 1 }),
      woman: { fullName: 'Rosa Elena Díaz', documentType: 'CC', documentNumber: '52888777' },
    });
    const other = await referral({
      ...referralBody(),
      woman: { fullName: 'Marta Lucía Gómez', documentType: 'NONE' },
    });
    const { page, errors } = await newPage(browser, DESKTOP);
    await login(page, t.baseUrl, 'oficial.reservas', password);
    await page.getByRole('button', { name: 'Ingresos' }).click();
    await page
      .locator(`tr[data-referral-id="${id}"]`)
      .getByRole('button', { name: /^Abrir/ })
      .click();
    await page.locator('#placement .options').waitFor();
    const best = await bestPlacement(id);
    // "Reservar cupo" sits beside "Admitir" for each house that can take the family.
    await page.getByRole('button', { name: `Reservar cupo en ${best.houseCode}…` }).click();
    const dialog = page.getByRole('dialog', { name: 'Reservar cupo mientras la familia llega' });
    const minutes = dialog.getByLabel('Minutos de reserva');
    // The default comes from the service's settings (HOLD_MINUTES).
    expect(await minutes.inputValue()).toBe(String(t.config.stay.holdMinutes));
    const violations = await auditView(page, 'officer-hold-dialog');
    await minutes.fill('45');
    await dialog.getByRole('button', { name: 'Reservar', exact: true }).click();
    await page.locator('#live-holds tbody tr').waitFor();
    const [hold] = (await adminGet('/api/v1/holds?status=held')).body.filter(
      (h: { referralId: string }) => h.referralId === id,
    );
    expect(hold.beds).toEqual(best.beds);
    expect(Date.parse(hold.expiresAt) - Date.parse(hold.heldAt)).toBe(45 * 60_000);
    expect(await page.locator('#live-holds').innerText()).toMatch(/Quedan 4[45] min/);
    // Held, she is offered no second hold.
    expect(await page.getByRole('button', { name: /^Reservar cupo en/ }).count()).toBe(0);
    violations.push(...(await auditView(page, 'officer-hold-referral')));

    // The queue lists the live holds with their time left; one is confirmed, one cancelled.
    const second = (
      await t.http().post('/api/v1/holds').set(asAdmin()).send({ referralId: other }).expect(201)
    ).body as { id: string };
    await page.getByRole('button', { name: 'Volver a la cola' }).click();
    await page.locator(`#live-holds tr[data-hold-id="${second.id}"]`).waitFor();
    const row = await page.locator(`#live-holds tr[data-hold-id="${hold.id}"]`).innerText();
    expect(row).toContain('Rosa Elena Díaz');
    expect(row).toContain(best.houseCode);
    expect(row).toMatch(/Quedan 4[45] min/);
    violations.push(...(await auditView(page, 'officer-holds-queue')));
    await page.screenshot({ path: join(ARTIFACTS, 'officer-holds.png') });

    await page
      .getByRole('button', { name: 'Confirmar ingreso de la familia de Rosa Elena Díaz' })
      .click();
    await page.locator(`#status:has-text("Ingreso registrado en ${best.houseCode}")`).waitFor();
    await page.locator(`#live-holds tr[data-hold-id="${hold.id}"]`).waitFor({ state: 'detached' });
    const confirmed = await adminGet(`/api/v1/holds/${hold.id}`);
    expect(confirmed.body.status).toBe('confirmed');
    const stay = await adminGet(`/api/v1/stays/${confirmed.body.stayId}`);
    expect((stay.body.occupants as { bedId: string }[]).map((o) => o.bedId)).toEqual(best.beds);

    await page
      .getByRole('button', { name: 'Cancelar reserva de la familia de Marta Lucía Gómez' })
      .click();
    await page.locator('#live-holds:has-text("No hay reservas activas")').waitFor();
    const cancelled = await adminGet(`/api/v1/holds/${second.id}`);
    expect(cancelled.body.status).toBe('cancelled');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('tells an officer when more referrals wait than the queue shows', async () => {
    await user('oficial.cola', 'admission_officer');
    const waiting = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM referrals WHERE status = 'received'`,
    );
    for (let i = waiting[0].n; i <= 100; i++) {
      await createReferral(t);
    }
    const { page } = await newPage(browser, DESKTOP);
    await login(page, t.baseUrl, 'oficial.cola', password);
    await page.getByRole('button', { name: 'Ingresos' }).click();
    await page.locator('#queue').waitFor();
    expect(await page.locator('#queue-more').textContent()).toContain('Hay más de 100 remisiones');
    expect(await page.locator('#queue tbody tr').count()).toBe(100);
    await page.screenshot({ path: join(ARTIFACTS, 'officer-queue-full.png') });
    await page.close();
  });

  it('shows the analyst only Informes, every small count withheld, and downloads the CSV', async () => {
    await user('analista.red', 'analyst');
    // Two families, a year ago and gone within the week: every count of that period is 1 to 4,
    // which an analyst must never see.
    const house = (await t.houses())[2];
    const admittedAt = new Date(Date.now() - 400 * DAY_MS);
    for (const dependants of [1, 2]) {
      const stay = await admitted(house.id, dependants, admittedAt.toISOString());
      await t.egress(stay.id, {
        reason: 'voluntary',
        exitedAt: new Date(admittedAt.getTime() + 5 * DAY_MS).toISOString(),
      });
    }
    const from = bogotaDate(new Date(admittedAt.getTime() - 2 * DAY_MS));
    const to = bogotaDate(new Date(admittedAt.getTime() + 8 * DAY_MS));

    const { page, errors } = await newPage(browser, DESKTOP);
    const calls: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/')) {
        calls.push(path);
      }
    });
    // Last month's report is held back until she has typed her period: its arrival re-renders
    // the form, and must leave what she typed in the fields.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/reports/indicators**', async (route) => {
      await held;
      await route.continue();
    });
    await login(page, t.baseUrl, 'analista.red', password);
    await page.getByRole('heading', { name: 'Informes' }).waitFor();
    const sections = await page.getByRole('navigation').getByRole('button').allInnerTexts();
    expect(sections.map((s) => s.trim())).toEqual(['Informes']);
    await page.getByLabel('Desde').fill(from);
    await page.getByLabel('Hasta').fill(to);
    release();
    await page.locator('#indicators').waitFor();
    expect([
      await page.getByLabel('Desde').inputValue(),
      await page.getByLabel('Hasta').inputValue(),
    ]).toEqual([from, to]);
    await page.unroute('**/api/v1/reports/indicators**');
    await page.getByRole('button', { name: 'Ver', exact: true }).click();
    await page
      .locator('#indicators tr[data-path="womenServed"] td.num:has-text("suprimido")')
      .waitFor();
    const values = await page.locator('#indicators td.num').allInnerTexts();
    expect(values.length).toBeGreaterThan(40);
    expect(values.filter((v) => /^\s*[1-4]\s*$/.test(v))).toEqual([]);
    expect(values.filter((v) => v.includes('< 5 (suprimido)')).length).toBeGreaterThan(0);
    expect(await page.locator('#suppression-note').innerText()).toContain('conteos de 1 a 4');
    // Her page asks nothing the API refuses her: reports (and her own session) only.
    expect(calls.filter((c) => !/^\/api\/v1\/(reports\/indicators|auth\/)/.test(c))).toEqual([]);
    const violations = await auditView(page, 'analyst-reports');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Descargar CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`indicadores_${from}_${to}.csv`);
    const file = await readFile(await download.path());
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toContain(`Periodo: ${from} a ${to}`);
    expect(lines[1]).toBe('indicador,clave,valor');
    expect(lines).toContain('Mujeres atendidas,,suprimido');
    await closeClean(page, violations, errors);
  }, 60_000);
});
