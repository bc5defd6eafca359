import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { Browser, chromium, Page } from 'playwright-core';

export const ARTIFACTS = join(__dirname, '..', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TABLET = { width: 768, height: 1024 };
export const DESKTOP = { width: 1280, height: 900 };

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is required at ${CHROMIUM} (apt-get install chromium)`);
  }
  return chromium.launch({
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
}

/**
 * A page that records every script error and console error (a CSP refusal, a module that does
 * not load): `errors` must stay empty for a test to pass.
 */
export async function newPage(
  browser: Browser,
  viewport = DESKTOP,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport, locale: 'es-CO', timezoneId: 'America/Bogota' });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A failed request is answered on the page in Spanish; the browser's own line about it
    // (e.g. "401 Unauthorized" for a wrong password) is not an error of the page.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  return { page, errors };
}

export async function login(
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

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core (WCAG 2 A and AA) on what the page shows at tablet and desktop widths, saves a
 * screenshot of each, and returns the serious or critical violations, described for a reader.
 */
export async function auditView(page: Page, name: string): Promise<string[]> {
  const found: string[] = [];
  const original = page.viewportSize() ?? DESKTOP;
  for (const viewport of [TABLET, DESKTOP]) {
    await page.setViewportSize(viewport);
    // uPlot and the layout settle on resize before the picture and the audit.
    await page.waitForTimeout(150);
    await page.screenshot({
      path: join(ARTIFACTS, `${name}-${viewport.width}.png`),
      fullPage: true,
    });
    if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
      // Evaluated through the DevTools protocol, which the page's CSP (rightly) does not let
      // an inline <script> do.
      await page.evaluate(axe.source);
    }
    const violations = await page.evaluate<Violation[]>(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
    );
    for (const v of violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        found.push(
          `${name} @${viewport.width}px: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
            .map((n) => JSON.stringify(n.target))
            .join(' ')}`,
        );
      }
    }
  }
  await page.setViewportSize(original);
  return found;
}
