// Identity in the web app, in a real Chromium against a real platform (embedded topology): a person enrols an
// authenticator app (codes computed here from the shown secret, RFC 6238), confirms a sensitive operation in the
// step-up dialog and signs in with a code; registers a passkey with Chromium's virtual authenticator (DevTools
// protocol) and signs in with it; creates an API key and calls a REST route with it, then revokes it; an
// administrator changes a person's role, hands out a password-reset link and checks the audit chain; a jar
// owner adds and removes a member picked by name, and a deleted person's jars go to someone picked by name.
// Each new screen is checked with axe-core and reached from the keyboard.
import { createHmac } from 'node:crypto';
import { freePort } from '@sting/kit/runtime/free-port.ts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { StingConfig } from '@sting/kit';
import { ensureWebBuild } from '@sting/ops/web-build.ts';
import {
  ADMIN,
  graphql,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from '../integration/platform.ts';
import { launchBrowser, screenshot, seriousA11yViolations } from './browser.ts';

let it_: IntegrationPlatform;
/** Passkeys need a domain (an IP address is no relying party id), so the browser uses localhost throughout. */
let origin: string;
let browser: Browser;
let adminToken: string;
const CARA = { email: 'cara@example.com', password: 'cara-counts-bees-42', displayName: 'Cara Keeper' };
const DAN = { email: 'dan@example.com', password: 'dan-smokes-hives-42', displayName: 'Dan Drone' };

/** RFC 6238 (SHA-1, 30 s, 6 digits) from a base32 secret: what an authenticator app computes. */
function totp(secret: string, at = Date.now(), stepOffset = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000) + stepOffset));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = hmac[hmac.length - 1]! & 0xf;
  const value = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

async function createUser(user: typeof CARA): Promise<string> {
  const result = await graphql(
    it_.url,
    'mutation($input: CreateUserInput!){ createUser(input: $input) { id } }',
    { input: { ...user, role: 'MEMBER' } },
    adminToken,
  );
  expect(result.errors).toBeUndefined();
  return result.data.createUser.id;
}

/** Page errors and GraphQL errors go to the test's output: what a failed step saw. */
function watch(page: Page): void {
  page.on('pageerror', (error) => process.stderr.write(`[web-identity] page error: ${error.message}\n`));
  page.on('response', async (response) => {
    if (!response.url().endsWith('/graphql')) return;
    const body = await response.text().catch(() => '');
    if (body.includes('"errors"'))
      process.stderr.write(
        `[web-identity] ${/"operationName":"(\w+)"/.exec(response.request().postData() ?? '')?.[1]}: ${body}\n`,
      );
  });
}

async function signIn(context: BrowserContext, who: { email: string; password: string }, path = '/jars') {
  const page = await context.newPage();
  watch(page);
  await page.goto(`${origin}${path}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in$/);
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

/** The dark theme follows the system setting and must read as well as the light one. */
async function expectAccessibleInBothThemes(page: Page): Promise<void> {
  await expectAccessible(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Presses Tab until `target` has the focus (failing after `most` presses), and checks the focus is visible. */
async function tabTo(page: Page, target: Locator, most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      expect(await target.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
      return;
    }
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

beforeAll(async () => {
  await ensureWebBuild();
  const port = await freePort();
  origin = `http://localhost:${port}`;
  it_ = await startIntegrationPlatform('embedded', {
    configure: (config: StingConfig) =>
      ({
        ...config,
        gateway: { ...config.gateway, port },
        identity: { ...config.identity, webauthn: { ...config.identity.webauthn, origins: [origin] } },
      }) as StingConfig,
  });
  browser = await launchBrowser();
  const login = await graphql(
    it_.url,
    'mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}',
    {
      e: ADMIN.email,
      p: ADMIN.password,
    },
  );
  adminToken = login.data.login.token;
  await createUser(CARA);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await it_?.stop();
});

describe('identity in the web app', () => {
  it('enrols an authenticator app, steps up with a recovery code, then signing in asks for a code', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, CARA, '/account');
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await expectAccessible(page);
    await tabTo(page, page.getByRole('button', { name: 'Set up an authenticator app' }));
    await page.keyboard.press('Enter');
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.locator('details code.secret').textContent())!.trim();
    await expectAccessible(page);
    const enrolledAt = Date.now();
    await page.getByLabel('Code from the app').fill(totp(secret, enrolledAt));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('region', { name: 'Recovery codes' });
    await codes.waitFor();
    expect(await codes.locator('li').count()).toBe(10);
    await screenshot(page, 'identity-recovery-codes');
    const firstCodes = await codes.locator('li').allTextContents();
    await codes.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText(/Signing in asks for a code/).waitFor();

    // New recovery codes need a fresh second factor, which this session (signed in with a password) has not
    // shown: the step-up dialog asks for it (a recovery code does too), then the operation runs again.
    await page.getByRole('button', { name: 'New recovery codes' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Confirm with your authenticator code' });
    await stepUp.waitFor();
    await expectAccessible(page);
    await stepUp.getByLabel('Authenticator code').fill(firstCodes[0]!);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await codes.waitFor();
    const newCodes = await codes.locator('li').allTextContents();
    expect(newCodes).toHaveLength(10);
    expect(newCodes.filter((code) => firstCodes.includes(code))).toEqual([]);
    await codes.getByRole('button', { name: 'I have saved them' }).click();
    await signOut(page);

    await page.getByLabel('Email').fill(CARA.email);
    await page.getByLabel('Password').fill(CARA.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await expectAccessible(page);
    // A wrong code is refused with the server's message; the next step's code (a used one never counts twice).
    await code.fill('000000' === totp(secret, enrolledAt, 1) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    await code.fill(totp(secret, enrolledAt, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Honey jars' }).waitFor();
    await context.close();
  }, 60_000);

  it('registers a passkey with a virtual authenticator and signs in with it, no password', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    const dan = await createUser(DAN);
    expect(dan).toBeTruthy();
    await page.goto(`${origin}/account`);
    await page.getByLabel('Email').fill(DAN.email);
    await page.getByLabel('Password').fill(DAN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByLabel('Passkey name').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('cell', { name: 'Test laptop', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Rename Test laptop' }).click();
    await page.getByLabel('New name of Test laptop').fill('Work laptop');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('cell', { name: 'Work laptop', exact: true }).waitFor();
    await expectAccessible(page);
    await signOut(page);

    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { name: 'Honey jars' }).waitFor();
    await page.goto(`${origin}/account`);
    await expect(page.locator('.who').textContent()).resolves.toContain(DAN.displayName);
    // The sign-in shows as used on the passkey's row.
    const row = page.getByRole('row', { name: /Work laptop/ });
    await expect(row.textContent()).resolves.not.toMatch(/Never$/);
    await screenshot(page, 'identity-passkey');
    await context.close();
  }, 60_000);

  it('creates an API key shown once, calls a REST route with it, and revokes it', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, ADMIN, '/account');
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('Key name', { exact: true }).fill('nightly export');
    await page.getByRole('checkbox', { name: /^honey-jars:read/ }).check();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const shown = page.getByRole('region', { name: 'New API key' });
    await shown.waitFor();
    const key = (await shown.locator('code.secret').textContent())!.trim();
    expect(key).toMatch(/^sting_/);
    await expectAccessibleInBothThemes(page);

    const call = () => fetch(`${origin}/api/v1/honey-pots`, { headers: { authorization: `Bearer ${key}` } });
    const allowed = await call();
    expect(allowed.status).toBe(200);
    await shown.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(key);

    await page.reload();
    const row = page.getByRole('row', { name: /nightly export/ });
    await row.waitFor();
    await expect(row.getByRole('cell').nth(3).textContent()).resolves.not.toBe('Never');
    await row.getByRole('button', { name: 'Revoke nightly export' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('Revoked').waitFor();
    expect((await call()).status).toBe(401);
    await context.close();
  }, 60_000);

  it('lets an administrator change a role, hand out a password-reset link and verify the audit chain', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, ADMIN, '/people');
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByLabel('Name or email').fill('cara');
    await page.getByRole('button', { name: 'Search' }).click();
    const role = page.getByLabel(`Role of ${CARA.displayName}`);
    await role.waitFor();
    await expectAccessibleInBothThemes(page);
    await page.getByLabel('Name or email').focus();
    await tabTo(page, role);
    await role.selectOption('VIEWER');
    await page.getByRole('button', { name: `Save role of ${CARA.displayName}` }).click();
    await page.getByText(`${CARA.displayName} is now VIEWER.`).waitFor();
    await waitFor(
      async () => {
        const users = await graphql(
          it_.url,
          'query { users(filter: { search: "cara" }) { edges { node { role } } } }',
          undefined,
          adminToken,
        );
        return users.data?.users.edges[0]?.node.role === 'VIEWER';
      },
      { what: 'the role change' },
    );
    await screenshot(page, 'identity-people');

    // A one-time password-reset link, handed over by the administrator and opened by the person.
    await page.getByRole('button', { name: `Password-reset link for ${CARA.displayName}` }).click();
    const shown = page.getByRole('region', { name: 'Password-reset link' });
    const link = (await shown.locator('code.secret').textContent())!.trim();
    await expectAccessible(page);
    await shown.getByRole('button', { name: 'Done' }).click();
    const personal = await browser.newContext();
    const resetPage = await personal.newPage();
    await resetPage.goto(link.replace(/^https?:\/\/[^/]+/, origin));
    await resetPage.getByLabel('New password', { exact: true }).fill('cara-has-a-new-one-42');
    expect(resetPage.url()).not.toContain('token=');
    await resetPage.getByLabel('Repeat the new password').fill('cara-has-a-new-one-42');
    await resetPage.getByRole('button', { name: 'Set password' }).click();
    await resetPage.getByText('Your password is set.').waitFor();
    await expectAccessible(resetPage);
    await resetPage.getByRole('link', { name: 'Sign in' }).click();
    await resetPage.getByLabel('Email').fill(CARA.email);
    await resetPage.getByLabel('Password').fill('cara-has-a-new-one-42');
    await resetPage.getByRole('button', { name: 'Sign in' }).click();
    // The new password is accepted: she is signed in, or (enrolled earlier) asked for her authenticator code.
    await resetPage
      .getByLabel('Authentication code')
      .or(resetPage.getByRole('heading', { name: 'Honey jars' }))
      .waitFor();
    await personal.close();

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'user.role_changed' }).first().waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect(page.getByRole('status').filter({ hasText: /chain/ }).textContent()).resolves.toMatch(
      /The chain is intact/,
    );
    await expectAccessible(page);
    await screenshot(page, 'identity-audit');
    await context.close();
  }, 60_000);

  it('adds a member to a team jar by picking them by name; deleting them hands their jars to a picked person', async () => {
    const eve = { email: 'eve@example.com', password: 'eve-tends-frames-42', displayName: 'Eve Forager' };
    await createUser(eve);
    const created = await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Swarm log", type: TEAM }) { id } }',
      undefined,
      adminToken,
    );
    const jarId = created.data.createHoneyJar.id as string;
    const eveToken = (
      await graphql(it_.url, 'mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}', {
        e: eve.email,
        p: eve.password,
      })
    ).data.login.token as string;
    const readable = async () =>
      (await graphql(it_.url, 'query($id: ID!){ honeyJar(id: $id) { id } }', { id: jarId }, eveToken)).data
        ?.honeyJar !== null;
    expect(await readable()).toBe(false);

    const context = await browser.newContext();
    const page = await signIn(context, ADMIN, `/jars/${jarId}`);
    const picker = page.getByRole('combobox', { name: 'Add a member' });
    await picker.fill('Eve');
    await page.getByRole('option', { name: /Eve Forager/ }).waitFor();
    await expectAccessible(page);
    await picker.press('Enter');
    await page.getByRole('list', { name: 'Current members' }).getByText('Eve Forager').waitFor();
    expect(await readable()).toBe(true);
    await page.getByRole('button', { name: 'Remove Eve Forager' }).click();
    await page.getByText(/No members yet/).waitFor();
    await waitFor(async () => !(await readable()), { what: 'the membership to end' });
    await screenshot(page, 'identity-jar-members');

    // Deleting Eve hands her jars to a person picked by name; her sessions end at once.
    await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Eve notes" }) { id } }',
      undefined,
      eveToken,
    );
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Name or email').fill('eve');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Delete ${eve.displayName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${eve.displayName}?` });
    await dialog.getByRole('combobox', { name: 'New owner of the honey jars' }).fill('Admin');
    await dialog.getByRole('option').first().click();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Delete person' }).click();
    await page.getByText('Nobody matches these filters.').waitFor();
    const me = await graphql(it_.url, '{ me { id } }', undefined, eveToken);
    expect(me.data?.me ?? null).toBeNull();
    await waitFor(
      async () => {
        const jars = await graphql(
          it_.url,
          '{ honeyJars(first: 100) { nodes { name } } }',
          undefined,
          adminToken,
        );
        return jars.data.honeyJars.nodes.some((jar: { name: string }) => jar.name.startsWith('Eve notes'));
      },
      { what: "Eve's jar to reach its new owner" },
    );
    await context.close();
  }, 60_000);
});
