// Beeacon in the web app, in a real Chromium against a real platform (embedded topology): an administrator sees
// an alert raised elsewhere arrive live, acknowledges and resolves it from the list (the server agrees), pages a
// filtered list with Load more, reads the Pollen Filter chart and the status strips, searches the logs, downloads
// a health report PDF and reads the Loki, Grafana, alert rules and configuration cards. Every screen is checked with axe-core
// in the light and the dark theme, and leaves a screenshot.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PollenStatsReporter } from '@sting/kit';
import { ensureWebBuild } from '@sting/ops/web-build.ts';
import {
  ADMIN,
  graphql,
  signIn as signInOverApi,
  startIntegrationPlatform,
  type IntegrationPlatform,
} from '../integration/platform.ts';
import { launchBrowser, screenshot, seriousA11yViolations } from './browser.ts';

let it_: IntegrationPlatform;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminToken: string;

const RAISE = 'mutation($input: RaiseAlertInput!){ raiseAlert(input: $input) { id } }';

async function raise(input: Record<string, unknown>): Promise<string> {
  const result = await graphql(it_.url, RAISE, { input }, adminToken);
  expect(result.errors).toBeUndefined();
  return result.data.raiseAlert.id;
}

async function alertState(id: string): Promise<string | undefined> {
  const result = await graphql(
    it_.url,
    'query { alerts(first: 500) { nodes { id state } } }',
    undefined,
    adminToken,
  );
  return (result.data.alerts.nodes as { id: string; state: string }[]).find((a) => a.id === id)?.state;
}

/** No serious or critical axe violations, in the light theme and in the dark one (the system setting). */
async function expectAccessibleInBothThemes(): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
}

const alertRow = (title: string) => page.locator('.alerts li').filter({ hasText: title });

beforeAll(async () => {
  await ensureWebBuild();
  it_ = await startIntegrationPlatform('embedded');
  origin = new URL(it_.url).origin;
  browser = await launchBrowser();
  adminToken = await signInOverApi(it_.url, ADMIN.email, ADMIN.password);
  context = await browser.newContext();
  page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`[web-beeacon] page error: ${error.message}\n`));
  await page.goto(`${origin}/beeacon`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Beeacon', level: 1 }).waitFor();
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await it_?.stop();
});

describe('Beeacon in the web app', () => {
  it('shows an alert raised elsewhere live, and acknowledges and resolves it from the list', async () => {
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await page.getByRole('heading', { name: 'Pollen Filter' }).waitFor();
    await page.getByRole('img', { name: /^Redactions per type, last hour: / }).waitFor();
    await page
      .getByRole('img', { name: /^identity: up (for the last 24 hours|since .*, no record before)$/ })
      .waitFor();
    await expectAccessibleInBothThemes();
    // The subscription is up once graphql-ws has its connection: raise until one arrives without a reload.
    let arrived: { id: string; title: string } | undefined;
    for (let attempt = 0; attempt < 20 && !arrived; attempt++) {
      const title = `Smoker left burning #${attempt}`;
      const id = await raise({ severity: 'CRITICAL', title, message: 'Near hive 3', source: 'e2e-live' });
      const shown = await alertRow(title)
        .waitFor({ timeout: 1000 })
        .then(() => true)
        .catch(() => false);
      if (shown) arrived = { id, title };
    }
    expect(arrived).toBeDefined();
    const row = alertRow(arrived!.title);
    await expect(page.locator('.alerts li').first().textContent()).resolves.toContain(arrived!.title);
    await expect(row.textContent()).resolves.toContain('Open');
    await screenshot(page, 'beeacon-live-alert');

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await row.getByText('Acknowledged', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await alertState(arrived!.id)).toBe('ACKNOWLEDGED');
    await row.getByRole('button', { name: 'Resolve' }).click();
    await row.getByText('Resolved', { exact: true }).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await alertState(arrived!.id)).toBe('RESOLVED');
    await screenshot(page, 'beeacon-alert-resolved');
  }, 60_000);

  it('pages a filtered alert list with Load more', async () => {
    for (let i = 0; i < 23; i++)
      await raise({
        severity: 'INFO',
        title: `Frame check ${String(i).padStart(2, '0')}`,
        source: 'e2e-paging',
      });
    await page.getByLabel('Source').fill('e2e-paging');
    await page.getByLabel('Severity').selectOption('INFO');
    await page.getByRole('button', { name: 'Filter' }).click();
    // The filtered first page: the 20 newest of this source, nothing else.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.alerts li')].map((li) => li.textContent ?? '');
      return (
        rows.length === 20 &&
        rows.every((r) => r.includes('e2e-paging')) &&
        rows[0]!.includes('Frame check 22')
      );
    });
    expect(await alertRow('Frame check 00').count()).toBe(0);
    await page.getByRole('button', { name: 'Load more alerts' }).click();
    await alertRow('Frame check 00').waitFor();
    expect(await page.locator('.alerts li').count()).toBe(23);
    expect(await page.getByRole('button', { name: 'Load more alerts' }).count()).toBe(0);
    // A live alert that does not fit the filter stays out of the list.
    await raise({ severity: 'WARNING', title: 'Not for this list', source: 'e2e-paging' });
    await raise({ severity: 'INFO', title: 'Frame check 23', source: 'e2e-paging' });
    await alertRow('Frame check 23').waitFor();
    expect(await alertRow('Not for this list').count()).toBe(0);
    await screenshot(page, 'beeacon-alerts-paged');
  }, 60_000);

  it('searches the logs, downloads a health report PDF and shows Loki, Grafana, the alert rules and the configuration', async () => {
    // Logged at error, the level the test platform keeps; the Pollen Filter redacts the address before it is stored.
    const marker = `comb-${Date.now().toString(36)}`;
    for (let i = 0; i < 3; i++)
      it_.platform.logger.error({ customer: 'honey.buyer@example.com', i }, `${marker} <b>declined</b> ${i}`);
    await page.getByRole('navigation', { name: 'Beeacon' }).getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByLabel('Text').fill(marker);
    await page.getByLabel('Service').fill('gateway');
    await page.getByLabel('Level').selectOption('ERROR');
    // Records reach the store in batches: search again until the three are there.
    const records = page.locator('.log-list li');
    for (let attempt = 0; attempt < 20 && (await records.count()) < 3; attempt++) {
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForTimeout(500);
    }
    expect(await records.count()).toBe(3);
    await expect(records.first().textContent()).resolves.toContain(`${marker} <b>declined</b> 2`);
    expect(await page.locator('.log-list b').count()).toBe(0);
    await records.first().locator('summary').click();
    const record = (await records.first().locator('pre').textContent())!;
    expect(record).toContain('[EMAIL]');
    expect(record).not.toContain('honey.buyer@example.com');
    await expectAccessibleInBothThemes();
    await screenshot(page, 'beeacon-logs');

    // The overview's Pollen Filter counts the redacted addresses: in the totals, and over time once the process
    // has reported its interval (what every STING process does every 15 s; done here at once).
    await new PollenStatsReporter({ bus: it_.bus, service: 'gateway' }).publish();
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('img', { name: /^Redactions per type: .*\bEMAIL\b/ }).waitFor({ timeout: 30_000 });
    await page
      .getByRole('img', { name: /^Redactions per type, last hour: .*\bEMAIL\b/ })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'beeacon-pollen');

    await page.getByRole('link', { name: 'Health report' }).click();
    await page.getByRole('img', { name: /^Platform events per type, last 14 days/ }).waitFor();
    await page.getByRole('button', { name: 'Generate report' }).click();
    const download = page.getByRole('link', { name: 'Download the PDF' });
    await download.waitFor({ timeout: 30_000 });
    const href = (await download.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/beeacon\/health-report\/[0-9a-f-]{36}\.pdf$/);
    // The link works with the browser's session cookie, as clicking it would.
    const pdf = await page.request.get(`${origin}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await expectAccessibleInBothThemes();
    await screenshot(page, 'beeacon-health-report');

    await page.getByRole('link', { name: 'Integrations and rules' }).click();
    await page.getByRole('heading', { name: /^Loki/ }).waitFor();
    await expect(page.getByRole('heading', { name: /^Loki/ }).textContent()).resolves.toContain(
      'Not configured',
    );
    await page.getByRole('heading', { name: 'Observability configuration' }).waitFor();
    await page.getByRole('row', { name: /^component-down / }).waitFor();
    expect(await page.locator('table code').filter({ hasText: 'observability.' }).count()).toBeGreaterThan(0);
    await expectAccessibleInBothThemes();
    await screenshot(page, 'beeacon-integrations');
  }, 60_000);
});
