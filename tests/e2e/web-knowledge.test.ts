// The web app's knowledge journeys in a real Chromium against a real platform with PostgreSQL, Chroma and Redis:
// upload two files and watch them become ready without a reload, search and open the passage, and ask Bee and see
// the answer stream in with a citation that opens its passage, add a PDF and open a citation of it at its page in
// the browser's own PDF viewer, and review what someone else proposed to a public jar. Screenshots go to
// tests/e2e/artifacts/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuild } from '@sting/ops/web-build.ts';
import {
  ADMIN,
  graphql,
  startIntegrationPlatform,
  type IntegrationPlatform,
} from '../integration/platform.ts';
import { writePdf } from '../bench/corpus/writers.ts';
import { launchBrowser, screenshot, seriousA11yViolations } from './browser.ts';

const PERSON = { email: 'cleo@example.com', password: 'cleo-tends-hives-42', displayName: 'Cleo Keeper' };
const PROPOSER = { email: 'dara@example.com', password: 'dara-proposes-42', displayName: 'Dara Proposer' };
const FILES = [
  {
    name: 'hive-care.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(
      '# Hive care\n\n## Temperature\n\nThe worker bees keep the brood nest at thirty-five degrees Celsius all summer.\n\n' +
        '## Feeding\n\nIn late autumn the colonies are fed a thick sugar syrup.\n',
    ),
  },
  {
    name: 'harvest.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(
      'Honey is harvested when at least eighty percent of the comb cells are capped with wax.\n',
    ),
  },
];

/** Two pages, the facts on the second, so a citation of them names page 2. */
const SURVEY = {
  title: 'Mite survey',
  sections: [
    { heading: 'Contents', paragraphs: ['A survey of the apiary in spring.'] },
    {
      heading: 'Varroa mites',
      paragraphs: ['The varroa mite count is taken every April with a sugar roll of three hundred bees.'],
    },
  ],
};

/**
 * Waits for Chromium's own PDF viewer in the tab to show `page` (a document the gateway refused would show its JSON
 * error instead, and a page policy the viewer cannot work under would leave it empty).
 */
async function showsPdfPage(tab: Page, page: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let shown = '';
  while (shown !== String(page)) {
    if (Date.now() > deadline)
      throw new Error(`${tab.url()} shows no PDF at page ${page} (${shown || 'none'})`);
    await tab.waitForTimeout(100);
    const viewer = tab.frames().find((frame) => frame.url().startsWith('chrome-extension://'));
    const selector = viewer?.locator('input#pageSelector');
    shown = selector && (await selector.count()) ? await selector.inputValue() : '';
  }
}

let it_: IntegrationPlatform;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  await ensureWebBuild();
  it_ = await startIntegrationPlatform('embedded', {
    chromaUrl: process.env.CHROMA_URL,
    redisUrl: process.env.REDIS_URL,
  });
  origin = new URL(it_.url).origin;
  browser = await launchBrowser();
  const admin = await graphql(
    it_.url,
    'mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}',
    {
      e: ADMIN.email,
      p: ADMIN.password,
    },
  );
  const adminToken = admin.data.login.token;
  for (const person of [PERSON, PROPOSER]) {
    const created = await graphql(
      it_.url,
      'mutation($input: CreateUserInput!){ createUser(input: $input) { id } }',
      { input: { ...person, role: 'MEMBER' } },
      adminToken,
    );
    expect(created.errors).toBeUndefined();
  }
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(`${origin}/jars`);
  await page.getByLabel('Email').fill(PERSON.email);
  await page.getByLabel('Password').fill(PERSON.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Honey jars' }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await it_?.stop();
});

describe('the web app with documents', () => {
  it('journey 3: uploads two files and watches them become ready without a reload', async () => {
    await page.getByRole('button', { name: 'New honey jar' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Apiary handbook');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Apiary handbook' }).waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    await page.locator('input[type=file]').setInputFiles(FILES);
    // Both transfers finish with their progress bars full, then both documents turn Ready through the subscription.
    await page
      .getByRole('list', { name: 'Uploads' })
      .getByText('Uploaded; processing starts.')
      .nth(1)
      .waitFor();
    for (const bar of await page.getByRole('progressbar', { name: /^Upload of/ }).all())
      expect(await bar.getAttribute('value')).toBe('1');
    const rows = page.locator('tbody tr');
    await page.waitForFunction(
      () => {
        const cells = [...document.querySelectorAll('tbody tr td:nth-child(4)')].map(
          (td) => td.textContent ?? '',
        );
        return cells.length === 2 && cells.every((text) => text.startsWith('Ready'));
      },
      undefined,
      { timeout: 60_000 },
    );
    expect(await rows.count()).toBe(2);
    expect(navigations).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'journey-3-uploads-ready');
  }, 120_000);

  it('journey 4: searches and opens the passage of a result', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    const first = page
      .getByRole('list', { name: 'Search results, best first' })
      .getByRole('listitem')
      .first();
    // A slip ("harvestd") is searched as the word the documents hold, and that word is what is marked, as are
    // other forms of a query word; words of the query the passage lacks are not.
    await page.getByLabel('Search your documents').fill('harvestd honey');
    await page.getByRole('button', { name: 'Search' }).click();
    await first.locator('mark', { hasText: 'harvested' }).waitFor();
    expect((await first.locator('mark').allTextContents()).sort()).toEqual(['Honey', 'harvested']);
    const correction = page.locator('p.notice', { hasText: 'Showing results for' });
    expect(await correction.textContent()).toBe('Showing results for harvested honey');
    expect(await correction.locator('strong').allTextContents()).toEqual(['harvested']);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'journey-4-search-correction');
    await page.getByLabel('Search your documents').fill('comb cells capped');
    await page.getByRole('button', { name: 'Search' }).click();
    await first.locator('mark', { hasText: 'capped' }).waitFor();
    expect(await correction.count()).toBe(0);
    expect(await first.locator('mark').allTextContents()).toEqual(
      expect.arrayContaining(['comb', 'cells', 'capped']),
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'journey-4-search');
    await first.getByRole('link').first().click();
    await page.waitForURL(/\/documents\/[^?]+\?chunk=/);
    const focused = page.locator('[aria-current="location"]');
    await focused.waitFor();
    expect(await focused.textContent()).toContain('eighty percent of the comb cells are capped');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'journey-4-passage');
  }, 60_000);

  it('journey 5: asks Bee and sees the streamed answer with a citation that opens its passage', async () => {
    await page.getByRole('link', { name: 'Bee', exact: true }).click();
    await page.getByLabel('New conversation').fill('Hive questions');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { name: 'Hive questions' }).waitFor();
    await page.getByLabel('Ask Bee').fill('At what temperature do the worker bees keep the brood nest?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const answer = page.locator('li.message.assistant').last();
    const marker = answer.locator('a.citation-marker').first();
    await marker.waitFor({ timeout: 30_000 });
    expect(await answer.locator('.answer-text').textContent()).toContain('thirty-five degrees Celsius');
    expect(await answer.getByRole('list', { name: 'Sources' }).textContent()).toContain('hive-care');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'journey-5-bee-answer');
    await marker.click();
    await page.waitForURL(/\/documents\/[^?]+\?chunk=/);
    const focused = page.locator('[aria-current="location"]');
    await focused.waitFor();
    expect(await focused.textContent()).toContain('thirty-five degrees Celsius');
  }, 60_000);

  it('journey 5b: asks Bee straight from the Bee page, which opens a conversation named after the question', async () => {
    await page.getByRole('link', { name: 'Bee', exact: true }).click();
    await page.waitForURL(/\/bee$/);
    await page.getByLabel('Ask Bee').fill('How warm is the brood nest?');
    await screenshot(page, 'journey-5b-ask-from-the-bee-page');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.waitForURL(/\/bee\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'How warm is the brood nest?' }).waitFor();
    const answer = page.locator('li.message.assistant').last();
    await answer.locator('a.citation-marker').first().waitFor({ timeout: 30_000 });
    expect(await answer.locator('.answer-text').textContent()).toContain('thirty-five degrees Celsius');
    // Asked once: the question is not asked again when the page is reloaded.
    await page.reload();
    await page.getByRole('heading', { name: 'How warm is the brood nest?' }).waitFor();
    await answer.locator('a.citation-marker').first().waitFor();
    expect(await page.locator('li.message.user').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
  }, 60_000);

  it('journey 5c: adds a PDF and opens a citation of it at its page, in a new tab', async () => {
    await page.getByRole('link', { name: 'Honey jars', exact: true }).click();
    await page.getByRole('link', { name: 'Apiary handbook' }).click();
    await page.getByRole('heading', { name: 'Apiary handbook' }).waitFor();
    await page
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'mite-survey.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await writePdf(SURVEY)) },
      ]);
    // Ready, and offered for viewing: the citation below opens the same view.
    const row = page.locator('tbody tr', { hasText: 'mite-survey.pdf' });
    await row.getByText('Ready').waitFor({ timeout: 60_000 });
    expect(await row.getByRole('link', { name: 'View mite-survey.pdf (opens in a new tab)' }).count()).toBe(
      1,
    );

    await page.getByRole('link', { name: 'Bee', exact: true }).click();
    await page.getByLabel('Ask Bee').fill('How is the varroa mite count taken?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const answer = page.locator('li.message.assistant').last();
    const marker = answer.locator('a.citation-marker[href$="/view#page=2"]').first();
    await marker.waitFor({ timeout: 30_000 });
    const [cited] = await Promise.all([context.waitForEvent('page'), marker.click()]);
    await showsPdfPage(cited, 2);
    expect(new URL(cited.url()).pathname).toMatch(/^\/api\/v1\/documents\/[^/]+\/view$/);
    expect(new URL(cited.url()).hash).toBe('#page=2');
    await screenshot(cited, 'journey-5c-citation-pdf-page');
    await cited.close();
  }, 60_000);

  it('journey 8: reviews what someone else proposed to a public jar, approving one and rejecting another', async () => {
    await page.getByRole('link', { name: 'Honey jars' }).click();
    await page.getByRole('button', { name: 'New honey jar' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Open apiary');
    await page.getByRole('radio', { name: /^Public/ }).check();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Open apiary' }).waitFor();
    const jarId = new URL(page.url()).pathname.split('/').at(-1)!;

    // Another person proposes two files over REST, as a script of theirs would.
    const proposer = await graphql(
      it_.url,
      'mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}',
      { e: PROPOSER.email, p: PROPOSER.password },
    );
    for (const [title, text] of [
      ['Swarm traps', 'Swarm traps go up in early May, two metres high near the old lime tree.'],
      ['Miracle cure', 'Buy our miracle cure for every hive ailment today.'],
    ]) {
      const form = new FormData();
      form.append('title', title);
      form.append('file', new Blob([text], { type: 'text/plain' }), `${title}.txt`);
      const response = await fetch(`${origin}/api/v1/honey-pots/${jarId}/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${proposer.data.login.token}` },
        body: form,
      });
      expect(response.status).toBe(202);
      expect((await response.json()).data[0].processing_status).toBe('PENDING_REVIEW');
    }

    await page.getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { name: 'Review' }).waitFor();
    await page.getByText('2 proposals waiting, oldest first').waitFor();
    const rows = page.locator('tbody tr');
    expect(await rows.first().textContent()).toContain('Swarm traps');
    expect(await rows.first().textContent()).toContain('Open apiary');
    expect(await rows.first().textContent()).toContain(PROPOSER.displayName);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'journey-8-review-queue');

    await page.getByRole('button', { name: 'Approve Swarm traps' }).click();
    await page.getByText('1 proposal waiting, oldest first').waitFor();
    await page.getByRole('button', { name: 'Reject Miracle cure' }).click();
    await page
      .getByRole('dialog', { name: 'Reject “Miracle cure”?' })
      .getByRole('button', { name: 'Reject document' })
      .click();
    await page.getByText('Nothing is waiting for your review.').waitFor();

    // The approved document is read into the jar; the rejected one is gone.
    await page.goto(`${origin}/jars/${jarId}`);
    await page.getByRole('heading', { name: 'Open apiary' }).waitFor();
    await page.waitForFunction(
      () => {
        const rows = [...document.querySelectorAll('tbody tr')].map((tr) => tr.textContent ?? '');
        return rows.length === 1 && rows[0].includes('Swarm traps') && rows[0].includes('Ready');
      },
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.getByText('Miracle cure').count()).toBe(0);
    await screenshot(page, 'journey-8-approved-in-jar');
  }, 120_000);
});
