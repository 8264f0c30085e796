// The web app in a real Chromium against a real platform (embedded topology): signing in, honey jars, Beeacon's
// live alerts and what a member may not see. Every journey leaves a screenshot in tests/e2e/artifacts/ and runs
// axe-core on each screen it visits (no serious or critical violations).
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuild } from '@sting/ops/web-build.ts';
import {
  ADMIN,
  graphql,
  startIntegrationPlatform,
  type IntegrationPlatform,
} from '../integration/platform.ts';
import { launchBrowser, screenshot, seriousA11yViolations } from './browser.ts';

let it_: IntegrationPlatform;
let origin: string;
let browser: Browser;
let adminToken: string;
const MEMBER_A = { email: 'ada@example.com', password: 'ada-likes-honey-42', displayName: 'Ada Member' };
const MEMBER_B = { email: 'bo@example.com', password: 'bo-keeps-bees-42', displayName: 'Bo Member' };

async function login(email: string, password: string): Promise<string> {
  const result = await graphql(
    it_.url,
    'mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}',
    {
      e: email,
      p: password,
    },
  );
  return result.data.login.token;
}

async function createUser(user: typeof MEMBER_A): Promise<void> {
  const result = await graphql(
    it_.url,
    'mutation($input: CreateUserInput!){ createUser(input: $input) { id } }',
    { input: { ...user, role: 'MEMBER' } },
    adminToken,
  );
  expect(result.errors).toBeUndefined();
}

async function signIn(context: BrowserContext, who: { email: string; password: string }, path = '/jars') {
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

beforeAll(async () => {
  await ensureWebBuild();
  it_ = await startIntegrationPlatform('embedded');
  origin = new URL(it_.url).origin;
  browser = await launchBrowser();
  adminToken = await login(ADMIN.email, ADMIN.password);
  await createUser(MEMBER_A);
  await createUser(MEMBER_B);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await it_?.stop();
});

describe('the web app', () => {
  it('is served at / with hashed, long-cached assets and an index.html fallback for client routes', async () => {
    const page = { headers: { accept: 'text/html' } };
    const index = await fetch(`${origin}/jars/some-client-route`, page);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${origin}${asset}`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${origin}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${origin}/nothing-here.js`, page)).status).toBe(404);
    // An API client (no text/html) asking for a page that does not exist gets the 404 error shape.
    expect((await fetch(`${origin}/jars/some-client-route`)).status).toBe(404);
    // The tab's icon is one of the app's assets (else the browser asks for /favicon.ico, which is not served).
    const icon = /<link rel="icon" type="image\/svg\+xml" href="(\/assets\/[^"]+\.svg)"/.exec(html)?.[1];
    expect(icon).toBeDefined();
    const svg = await fetch(`${origin}${icon}`);
    expect([svg.status, svg.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('keeps the initial JavaScript within 250 KB gzipped', async () => {
    const html = await (await fetch(`${origin}/`, { headers: { accept: 'text/html' } })).text();
    // The entry script and every module it preloads: what a first visit must download before the app runs.
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    let text = '';
    for (const script of scripts) {
      const body = Buffer.from(await (await fetch(`${origin}${script}`)).arrayBuffer());
      gzipped += gzipSync(body, { level: 9 }).length;
      text += body.toString();
    }
    // The on-demand screens' GraphQL documents travel in their own chunks (account, administration, Beeacon).
    for (const operation of ['MySessions', 'AuditEvents', 'BeeaconHealthReport']) {
      expect(text).not.toContain(operation);
    }
    process.stderr.write(
      `[web] initial JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)\n`,
    );
    expect(gzipped).toBeLessThanOrEqual(250 * 1024);
  });

  it('can be used from the keyboard alone: skip link, sign-in form and navigation with visible focus', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Nothing the browser loads on the way fails (a missing icon shows here as a failed resource).
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${origin}/sign-in`);
    await page.getByLabel('Email').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toBe('username');
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Honey jars' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => document.activeElement?.textContent);
    expect(skip).toBe('Skip to content');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused.text).toBe('Honey jars');
    expect(focused.outline).not.toBe('none');
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 60_000);

  it('journey 1: signs in, sends an anonymous visitor back where they were, and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/beeacon`);
    await page.waitForURL(/\/sign-in\?from=%2Fbeeacon/);
    await expectAccessible(page);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/email or password/i);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/beeacon$/);
    await page.getByRole('heading', { name: 'Beeacon' }).waitFor();
    // The token lives only in the HttpOnly cookie: nothing in the page's storage.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).toBe('{}');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'sting_session')?.httpOnly).toBe(true);
    await screenshot(page, 'journey-1-signed-in');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto(`${origin}/jars`);
    await page.waitForURL(/\/sign-in\?from=%2Fjars/);
    await context.close();
  }, 60_000);

  it('journey 2: creates, edits, archives and deletes a honey jar', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, MEMBER_A);
    await page.getByRole('heading', { name: 'Honey jars' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'New honey jar' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Field notes');
    await page.getByLabel('Description').fill('What we learned in the apiary');
    await page.getByLabel(/^Team/).check();
    await page.getByLabel(/Tags/).fill('bees, notes');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Field notes' }).waitFor();
    expect(page.url()).toMatch(/\/jars\/[0-9a-f-]{36}$/);
    await expect(page.locator('.badges').first().textContent()).resolves.toContain('Team');
    await expectAccessible(page);
    await screenshot(page, 'journey-2-jar-created');

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Field notes 2026');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Field notes 2026' }).waitFor();
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('button', { name: 'Restore' }).waitFor();

    // A server-side validation error is shown with its message and request id.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page
      .getByLabel('Name', { exact: true })
      .evaluate((input: HTMLInputElement) => input.removeAttribute('maxlength'));
    await page.getByLabel('Name', { exact: true }).fill('y'.repeat(121));
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.getByRole('alert');
    await expect(error.textContent()).resolves.toMatch(/name/i);
    await expect(error.textContent()).resolves.toMatch(/Request id/);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Delete honey jar' }).click();
    await page.waitForURL(/\/jars$/);
    await page.getByText('No honey jars yet.').waitFor();
    await context.close();
  }, 60_000);

  it('journey 6: an admin sees an alert appear live when another session raises it', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, ADMIN, '/beeacon');
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await page.getByRole('heading', { name: 'Pollen Filter' }).waitFor();
    await expectAccessible(page);
    // The subscription is up once the socket has said hello; give graphql-ws its connection first.
    await page.waitForFunction(() => performance.getEntriesByType('resource').length > 0);
    let raised: string | undefined;
    for (let attempt = 0; attempt < 20 && !raised; attempt++) {
      const title = `Hive temperature high #${attempt}`;
      const result = await graphql(
        it_.url,
        'mutation($input: RaiseAlertInput!){ raiseAlert(input: $input) { id } }',
        { input: { severity: 'CRITICAL', title, message: 'Brood frame at 39 °C', source: 'e2e' } },
        adminToken,
      );
      expect(result.errors).toBeUndefined();
      const arrived = await page
        .getByText(title)
        .waitFor({ timeout: 1000 })
        .then(() => true)
        .catch(() => false);
      if (arrived) raised = title;
    }
    expect(raised).toBeDefined();
    // Arrived without a reload: the list shows it at the top.
    await expect(page.locator('.alerts li').first().textContent()).resolves.toContain(raised!);
    await screenshot(page, 'journey-6-live-alert');
    await context.close();
  }, 60_000);

  it("journey 7: a member cannot see another member's private jar anywhere in the UI", async () => {
    const tokenA = await login(MEMBER_A.email, MEMBER_A.password);
    const created = await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Ada private recipes", type: PRIVATE }) { id } }',
      undefined,
      tokenA,
    );
    const secretId = created.data.createHoneyJar.id as string;
    const context = await browser.newContext();
    const page = await signIn(context, MEMBER_B);
    await page.getByRole('heading', { name: 'Honey jars' }).waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByText(/No honey jar|No honey jars yet/).waitFor();
    expect(await page.content()).not.toContain('Ada private recipes');
    await page.goto(`${origin}/jars/${secretId}`);
    await page.getByText('There is no honey jar here you can read.').waitFor();
    expect(await page.content()).not.toContain('Ada private recipes');
    await expectAccessible(page);
    await screenshot(page, 'journey-7-private-jar-hidden');
    await page.goto(`${origin}/account`);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await expectAccessible(page);
    // The dark theme follows the system setting and must read as well as the light one.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${origin}/jars`);
    await page.getByRole('heading', { name: 'Honey jars' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'jar-list-dark');
    await context.close();
  }, 60_000);

  it('measures the time from navigation to an interactive jar list on a warm server', async () => {
    const token = await login(ADMIN.email, ADMIN.password);
    for (let i = 0; i < 3; i++)
      await graphql(
        it_.url,
        `mutation { createHoneyJar(input: { name: "Timing jar ${i}" }) { id } }`,
        undefined,
        token,
      );
    const context = await browser.newContext();
    const page = await signIn(context, ADMIN);
    await page.getByRole('link', { name: 'Timing jar 0' }).waitFor();
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const began = Date.now();
      await page.goto(`${origin}/jars`);
      await page.getByRole('link', { name: 'Timing jar 0' }).waitFor();
      timings.push(Date.now() - began);
    }
    const best = Math.min(...timings);
    process.stderr.write(
      `[web] navigation to interactive jar list: ${timings.join(', ')} ms (best ${best} ms)\n`,
    );
    expect(timings.length).toBe(3);
    await screenshot(page, 'jar-list');
    await context.close();
  }, 60_000);
});
