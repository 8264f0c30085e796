// Documents end to end through the gateway: multipart upload and the staged upload PUT, READY through the durable
// ingestion jobs, the status subscription, download, the document REST routes, review of proposals to a PUBLIC
// jar, deletion, and hostile input (empty and oversize files, NUL bytes and path traversal in names, cross-site
// cookie posts, people without access uploading or downloading).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { ADMIN, graphql, signIn, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';
import { waitFor } from '@sting/kit/testing';
import { writeDocx, writePdf } from '../bench/corpus/writers.ts';

const PASSWORD = 'a long enough password for tests';
let it_: IntegrationPlatform;
const tokens: Record<string, string> = {};
const jars: Record<string, string> = {};

const gql = (token: string | undefined, query: string, variables?: Record<string, unknown>) =>
  graphql(it_.url, query, variables, token);

function form(files: { name: string; bytes: Buffer | string; title?: string; type?: string }[]): FormData {
  const body = new FormData();
  for (const f of files) {
    if (f.title !== undefined) body.append('title', f.title);
    const bytes = typeof f.bytes === 'string' ? f.bytes : new Uint8Array(f.bytes);
    body.append('file', new Blob([bytes], { type: f.type ?? 'application/octet-stream' }), f.name);
  }
  return body;
}

async function call(method: string, path: string, token?: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, it_.url), {
    method,
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.headers as Record<string, string>),
    },
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json')
    ? ((await response.json()) as any)
    : Buffer.from(await response.arrayBuffer());
  return { status: response.status, body, headers: response.headers };
}

const upload = (jar: string, token: string | undefined, files: Parameters<typeof form>[0], headers = {}) =>
  call('POST', `/api/v1/honey-pots/${jar}/upload`, token, { body: form(files), headers });

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readyStatus = (id: string, token: string) =>
  until(`document ${id} to finish`, async () => {
    const r = await call('GET', `/api/v1/documents/${id}`, token);
    const status = r.body.data?.processing_status;
    return status === 'READY' || status === 'FAILED' ? r.body.data : undefined;
  });

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded', { chromaUrl: process.env.CHROMA_URL });
  tokens.admin = await signIn(it_.url, ADMIN.email, ADMIN.password);
  for (const [name, role] of [
    ['owner', 'MEMBER'],
    ['member', 'MEMBER'],
    ['other', 'MEMBER'],
  ] as const) {
    const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
    await gql(tokens.admin, 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { email, password: PASSWORD, displayName: name, role },
    });
    tokens[name] = await signIn(it_.url, email, PASSWORD);
  }
  for (const type of ['PRIVATE', 'PUBLIC'] as const) {
    const r = await gql(
      tokens.owner,
      'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
      {
        i: { name: `${type} docs ${randomUUID().slice(0, 6)}`, type },
      },
    );
    jars[type] = r.data.createHoneyJar.id;
  }
  // knowledge learns of new jars over the bus; wait until it lets the owner upload.
  await until('knowledge to know the jars', async () => {
    const r = await gql(tokens.owner, 'query ($j: ID!) { documents(honeyJarId: $j) { nodes { id } } }', {
      j: jars.PUBLIC,
    });
    const known = await gql(
      tokens.owner,
      'mutation ($j: ID!) { createUpload(honeyJarId: $j, filename: "probe.txt") { token } }',
      {
        j: jars.PRIVATE,
      },
    );
    return r.errors === undefined && known.errors === undefined ? true : undefined;
  });
}, 60_000);

afterAll(async () => {
  await it_?.stop();
});

describe('uploading', () => {
  it('takes several files in one multipart POST (202), ingests them to READY, lists and downloads them', async () => {
    const markdown = '# Hive notes\n\nThe queen lays up to two thousand eggs a day in spring.';
    const csv = 'field,bees\nnorth,4000\nsouth,3500\n';
    const r = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'hive.md', bytes: markdown, title: 'Hive notes' },
      { name: 'fields.csv', bytes: csv },
    ]);
    expect(r.status).toBe(202);
    expect(r.body.data).toHaveLength(2);
    expect(r.body.data[0]).toMatchObject({
      title: 'Hive notes',
      file_type: 'markdown',
      size: markdown.length,
    });
    expect(r.body.data[1]).toMatchObject({ title: 'fields.csv', file_type: 'csv' });
    for (const doc of r.body.data)
      expect(['PENDING', 'PROCESSING', 'READY']).toContain(doc.processing_status);

    const [md, table] = await Promise.all(
      r.body.data.map((d: { id: string }) => readyStatus(d.id, tokens.owner)),
    );
    expect(md).toMatchObject({ processing_status: 'READY', progress: 1 });
    expect(md.chunk_count).toBeGreaterThan(0);
    expect(table.processing_status).toBe('READY');

    const listed = await call('GET', `/api/v1/honey-pots/${jars.PRIVATE}/documents`, tokens.owner);
    // An upload's answer says besides whether the jar held the file already.
    expect([...Object.keys(listed.body.data.nodes[0]), 'already_stored'].sort()).toEqual(
      Object.keys(r.body.data[0]).sort(),
    );
    expect(listed.body.data).toMatchObject({ total_count: 2, page_info: { has_next_page: false } });
    const filtered = await call(
      'GET',
      `/api/v1/documents?type=csv&honey_jar=${jars.PRIVATE}&from=2024-01-01`,
      tokens.owner,
    );
    expect(filtered.body.data.nodes.map((d: { id: string }) => d.id)).toEqual([table.id]);
    expect(filtered.body.data.total_count).toBe(1);

    const download = await call('GET', `/api/v1/documents/${md.id}/download`, tokens.owner);
    expect(download.status).toBe(200);
    expect(download.body.toString()).toBe(markdown);
    // The title names the download, with the type's extension so it opens in the right program.
    expect(download.headers.get('content-disposition')).toContain('filename="Hive notes.md"');

    // The same bytes again: the existing document, not a second one.
    const again = await upload(jars.PRIVATE, tokens.owner, [{ name: 'copy.md', bytes: markdown }]);
    expect(again.body.data[0].id).toBe(md.id);
  });

  it('answers a Range with those bytes (206), resumes only the same file, and says when a range holds nothing', async () => {
    const text = `Propolis seals the cracks of the hive. ${randomUUID()} `.repeat(200);
    const r = await upload(jars.PRIVATE, tokens.owner, [{ name: 'propolis.txt', bytes: text }]);
    const id = r.body.data[0].id;
    const path = `/api/v1/documents/${id}/download`;
    const whole = await call('GET', path, tokens.owner);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const etag = whole.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const bytes = Buffer.from(text);
    const ranged = async (range: string, extra: Record<string, string> = {}) =>
      call('GET', path, tokens.owner, { headers: { range, ...extra } });

    const middle = await ranged('bytes=100-4099');
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-4099/${bytes.length}`);
    expect(middle.headers.get('content-length')).toBe('4000');
    expect(middle.body.equals(bytes.subarray(100, 4100))).toBe(true);
    const tail = await ranged('bytes=-37');
    expect(tail.status).toBe(206);
    expect(tail.body.equals(bytes.subarray(bytes.length - 37))).toBe(true);
    // A download resumed where it stopped, for the same file: the rest of it.
    const resumed = await ranged('bytes=5001-', { 'if-range': etag });
    expect(resumed.status).toBe(206);
    expect(Buffer.concat([bytes.subarray(0, 5001), resumed.body]).equals(bytes)).toBe(true);
    // For another version of the file: all of this one, never its tail after another's head.
    const changed = await ranged('bytes=5001-', { 'if-range': '"0000"' });
    expect(changed.status).toBe(200);
    expect(changed.body.equals(bytes)).toBe(true);
    // Several ranges, or a header that is not a byte range: the whole file.
    for (const range of ['bytes=0-10,20-30', 'bytes=ten-twenty', 'lines=1-2']) {
      const r2 = await ranged(range);
      expect(r2.status).toBe(200);
      expect(r2.body.equals(bytes)).toBe(true);
    }
    const past = await ranged(`bytes=${bytes.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(past.body.error).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    expect(past.body.error.message).toContain(`${bytes.length} bytes`);
    // HEAD: the same headers, no body.
    const head = await call('HEAD', path, tokens.owner);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('etag')).toBe(etag);
    expect(head.body.length).toBe(0);
    const headRange = await call('HEAD', path, tokens.owner, { headers: { range: 'bytes=0-9' } });
    expect(headRange.status).toBe(206);
    expect(headRange.headers.get('content-range')).toBe(`bytes 0-9/${bytes.length}`);
    // A range is no way around the jar's access.
    expect((await call('GET', path, tokens.other, { headers: { range: 'bytes=0-10' } })).status).toBe(404);
    // A blob changed on disk fails its check before any status is sent: an error answer, not a 206 cut short.
    const objects = join(dirname(it_.keysDir), 'blobs', 'objects');
    const stored = await Promise.all(
      (await readdir(objects, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map(async (entry) => {
          const file = join(entry.parentPath, entry.name);
          return { file, at: (await stat(file)).mtimeMs };
        }),
    );
    const newest = stored.sort((a, b) => b.at - a.at)[0].file;
    const onDisk = await readFile(newest);
    onDisk[onDisk.length - 100] ^= 0x01;
    await writeFile(newest, onDisk);
    await utimes(newest, new Date(), new Date(Date.now() + 5000));
    const broken = await ranged('bytes=0-9');
    expect(broken.status).toBe(500);
    expect(broken.body.error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('shows the original in the browser tab: a PDF as itself, text and HTML as plain text, Office files as the download', async () => {
    const pdf = Buffer.from(
      await writePdf({
        title: 'Field guide',
        sections: [1, 2, 3].map((n) => ({
          heading: `Part ${n}`,
          paragraphs: [`Apiary ${n} ${randomUUID()}`],
        })),
      }),
    );
    const html = `<!doctype html><html><body><script>alert(document.cookie)</script><p>${randomUUID()}</p></body></html>`;
    const docx = Buffer.from(
      await writeDocx({ title: 'Minutes', sections: [{ heading: 'Hives', paragraphs: [randomUUID()] }] }),
    );
    const r = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'guide.pdf', bytes: pdf, title: 'Field guide' },
      { name: 'page.html', bytes: html },
      { name: 'minutes.docx', bytes: docx },
    ]);
    expect(r.status).toBe(202);
    const [pdfId, htmlId, docxId] = r.body.data.map((d: { id: string }) => d.id);
    const view = (id: string, token = tokens.owner, headers: Record<string, string> = {}) =>
      call('GET', `/api/v1/documents/${id}/view`, token, { headers });

    const shown = await view(pdfId);
    expect(shown.status).toBe(200);
    expect(shown.body.equals(pdf)).toBe(true);
    expect(shown.headers.get('content-type')).toBe('application/pdf');
    // Named as the download is, so the viewer's own "save" keeps the title.
    expect(shown.headers.get('content-disposition')).toBe(
      `inline; filename="Field guide.pdf"; filename*=UTF-8''Field%20guide.pdf`,
    );
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(shown.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(shown.headers.get('cache-control')).toContain('private');
    const policy = shown.headers.get('content-security-policy')!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    // Sandboxing a PDF's page would keep some browsers' PDF viewers from showing it.
    expect(policy).not.toContain('sandbox');
    expect(shown.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);

    // A PDF viewer fetches the pages it shows by range, under the same headers.
    const head = await view(pdfId, tokens.owner, { range: 'bytes=0-4' });
    expect(head.status).toBe(206);
    expect(head.body.toString()).toBe('%PDF-');
    expect(head.headers.get('content-range')).toBe(`bytes 0-4/${pdf.length}`);
    expect(head.headers.get('content-type')).toBe('application/pdf');
    expect(head.headers.get('content-disposition')).toMatch(/^inline; /);
    const resumed = await view(pdfId, tokens.owner, {
      range: `bytes=${pdf.length - 10}-`,
      'if-range': shown.headers.get('etag')!,
    });
    expect(resumed.status).toBe(206);
    expect(resumed.body.equals(pdf.subarray(pdf.length - 10))).toBe(true);
    expect((await view(pdfId, tokens.owner, { range: `bytes=${pdf.length}-` })).status).toBe(416);

    // HTML is shown as its markup: as text/html its script would run on the platform's origin.
    const page = await view(htmlId);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(page.body.toString()).toBe(html);
    expect(page.headers.get('content-disposition')).toMatch(/^inline; filename="page.html"/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*; sandbox$/);

    // No browser shows a Word file: it comes as the download does.
    const word = await view(docxId);
    expect(word.status).toBe(200);
    expect(word.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(word.headers.get('content-disposition')).toMatch(/^attachment; filename="minutes.docx"/);
    expect(word.body.equals(docx)).toBe(true);

    // The same callers as the download: the session cookie a browser tab sends, or a bearer token; someone who
    // may not read the jar gets the answer a document that does not exist gets.
    const byCookie = await call('GET', `/api/v1/documents/${pdfId}/view`, undefined, {
      headers: { cookie: `sting_session=${tokens.owner}` },
    });
    expect(byCookie.status).toBe(200);
    expect(byCookie.headers.get('content-type')).toBe('application/pdf');
    const hidden = await view(pdfId, tokens.other);
    const missing = await view(randomUUID(), tokens.other);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body.error.code).toBe(missing.body.error.code);
    expect(hidden.headers.get('content-type')).toBe(missing.headers.get('content-type'));
    expect(JSON.stringify(hidden.body)).not.toContain('Field guide');
    expect((await view(pdfId, tokens.other, { range: 'bytes=0-4' })).status).toBe(404);
    expect((await call('GET', `/api/v1/documents/${pdfId}/view`)).status).toBe(401);
  });

  it('stages an upload with createUpload and takes the bytes on a PUT to its URL', async () => {
    const text = 'Smoke calms the bees before the hive is opened.';
    const staged = await gql(
      tokens.owner,
      'mutation ($j: ID!, $s: Float) { createUpload(honeyJarId: $j, filename: "smoke.txt", size: $s) { uploadUrl token maxBytes } }',
      { j: jars.PRIVATE, s: text.length },
    );
    const { uploadUrl } = staged.data.createUpload;
    // The URL alone is not enough: the PUT must come from a signed-in person.
    const bare = await call('PUT', uploadUrl, undefined, {
      body: text,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(bare.status).toBe(401);
    const put = await call('PUT', uploadUrl, tokens.owner, {
      body: text,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(202);
    expect(put.body.data).toMatchObject({ file_type: 'text', title: 'smoke.txt' });
    // A token works once.
    const twice = await call('PUT', uploadUrl, tokens.owner, {
      body: text,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(twice.status).toBe(400);
  });

  it('says when a file was in the jar already: 200 with already_stored, no second document nor ingestion', async () => {
    const octets = { 'content-type': 'application/octet-stream' };
    const stage = async (filename: string) =>
      (
        await gql(
          tokens.owner,
          'mutation ($j: ID!, $f: String!) { createUpload(honeyJarId: $j, filename: $f) { uploadUrl } }',
          { j: jars.PRIVATE, f: filename },
        )
      ).data.createUpload.uploadUrl as string;
    const posted = `Drones leave the hive in autumn. ${randomUUID()}`;
    const put = `Wax moths trouble weak colonies. ${randomUUID()}`;

    const first = await upload(jars.PRIVATE, tokens.owner, [{ name: 'drones.txt', bytes: posted }]);
    expect(first.status).toBe(202);
    expect(first.body.data).toMatchObject([{ already_stored: false }]);
    const postedId = first.body.data[0].id as string;
    const staged = await call('PUT', await stage('moths.txt'), tokens.owner, { body: put, headers: octets });
    expect(staged.status).toBe(202);
    expect(staged.body.data).toMatchObject({ already_stored: false });
    const putId = staged.body.data.id as string;
    await Promise.all([readyStatus(postedId, tokens.owner), readyStatus(putId, tokens.owner)]);

    // The same bytes again, each way: nothing was stored or queued, so 200 (not 202) and marked.
    const again = await upload(jars.PRIVATE, tokens.owner, [{ name: 'drones-copy.txt', bytes: posted }]);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject([
      { id: postedId, already_stored: true, processing_status: 'READY' },
    ]);
    const restaged = await call('PUT', await stage('moths-copy.txt'), tokens.owner, {
      body: put,
      headers: octets,
    });
    expect(restaged.status).toBe(200);
    expect(restaged.body.data).toMatchObject({ id: putId, already_stored: true, processing_status: 'READY' });
    // A request with a new file among them queues work: 202, each file marked for what it is.
    const fresh = `Workers live six weeks in summer. ${randomUUID()}`;
    const mixed = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'put-again.txt', bytes: put },
      { name: 'workers.txt', bytes: fresh },
    ]);
    expect(mixed.status).toBe(202);
    expect(mixed.body.data.map((d: { already_stored: boolean }) => d.already_stored)).toEqual([true, false]);
    expect(mixed.body.data[0].id).toBe(putId);

    const listed = await call('GET', `/api/v1/honey-pots/${jars.PRIVATE}/documents?first=200`, tokens.owner);
    const hashes = listed.body.data.nodes.map((d: { content_hash: string }) => d.content_hash);
    for (const hash of [first.body.data[0].content_hash, staged.body.data.content_hash])
      expect(hashes.filter((h: string) => h === hash)).toHaveLength(1);
    const db = new pg.Client({ connectionString: it_.databaseUrl });
    await db.connect();
    try {
      const jobs = await db.query(
        `select data->>'documentId' as id, count(*)::int as n from knowledge_jobs.job
          where name = 'knowledge-ingest' and data->>'documentId' = any($1) group by 1`,
        [[postedId, putId]],
      );
      expect(Object.fromEntries(jobs.rows.map((r) => [r.id, r.n]))).toEqual({ [postedId]: 1, [putId]: 1 });
    } finally {
      await db.end();
    }
  });

  it("takes a staged upload's bytes only from the person who announced it", async () => {
    const text = `Only the announcer's bytes ${randomUUID()}`;
    const put = (url: string, token: string, body: string) =>
      call('PUT', url, token, { body, headers: { 'content-type': 'application/octet-stream' } });
    const staged = await gql(
      tokens.owner,
      'mutation ($j: ID!) { createUpload(honeyJarId: $j, filename: "mine.txt") { uploadUrl token } }',
      { j: jars.PRIVATE },
    );
    const { uploadUrl, token } = staged.data.createUpload;
    // Someone else with the URL: the token is invalid for them, whatever they send, and nothing is said about the
    // jar (not even the document that the same bytes as one of its files would name).
    const known = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'known.txt', bytes: `Known ${randomUUID()}` },
    ]);
    const knownBytes = (
      await call('GET', `/api/v1/documents/${known.body.data[0].id}/download`, tokens.owner)
    ).body;
    for (const body of [text, knownBytes.toString()]) {
      const stolen = await put(uploadUrl, tokens.other, body);
      expect(stolen.status).toBe(400);
      expect(stolen.body.error.message).toBe('The upload token is invalid or has expired');
    }
    const asked = await gql(tokens.other, 'query ($t: String!) { stagedUpload(token: $t) { maxBytes } }', {
      t: token,
    });
    expect(asked.data.stagedUpload).toBeNull();
    const completed = await gql(
      tokens.other,
      'mutation ($t: String!) { completeUpload(token: $t) { document { id } } }',
      {
        t: token,
      },
    );
    expect(completed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The token is still the announcer's to use.
    const own = await put(uploadUrl, tokens.owner, text);
    expect(own.status).toBe(202);
    expect(own.body.data.title).toBe('mine.txt');
  });

  it('refuses the bytes of a staged upload whose announcer has since lost access to the jar', async () => {
    const made = await gql(
      tokens.owner,
      'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
      {
        i: { name: `Staged then removed ${randomUUID().slice(0, 6)}`, type: 'TEAM' },
      },
    );
    const jar = made.data.createHoneyJar.id as string;
    const member = (await gql(tokens.member, '{ me { id } }')).data.me.id as string;
    const membership = (field: string) =>
      gql(tokens.owner, `mutation ($j: ID!, $u: ID!) { ${field}(honeyJarId: $j, userId: $u) { id } }`, {
        j: jar,
        u: member,
      });
    await membership('addHoneyJarMember');
    const staged = await until('knowledge to let the member upload', async () => {
      const r = await gql(
        tokens.member,
        'mutation ($j: ID!) { createUpload(honeyJarId: $j, filename: "late.txt") { uploadUrl } }',
        { j: jar },
      );
      return r.errors ? undefined : (r.data.createUpload.uploadUrl as string);
    });
    await membership('removeHoneyJarMember');
    await until('knowledge to shut the member out', async () =>
      (await call('GET', `/api/v1/honey-pots/${jar}/documents`, tokens.member)).status === 404
        ? true
        : undefined,
    );
    const late = await call('PUT', staged, tokens.member, {
      body: `Too late ${randomUUID()}`,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(late.status).toBe(404);
    const listed = await call('GET', `/api/v1/honey-pots/${jar}/documents`, tokens.owner);
    expect(listed.body.data.total_count).toBe(0);
  });

  it('streams status changes to a reader of the jar through the gateway', async () => {
    const client = createClient({
      url: it_.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tokens.owner}` },
    });
    // The feed carries every document of the jar: earlier uploads may still be finishing while this one starts.
    const seen: { id: string; processingStatus: string }[] = [];
    const live: { id?: string } = {};
    let ready = () => {};
    const statusesOfLive = () => seen.filter((e) => e.id === live.id).map((e) => e.processingStatus);
    const done = new Promise<void>((resolve, reject) => {
      ready = () => {
        if (statusesOfLive().includes('READY')) resolve();
      };
      client.subscribe<{ documentStatusChanged: { id: string; processingStatus: string } }>(
        {
          query:
            'subscription ($j: ID!) { documentStatusChanged(honeyJarId: $j) { id processingStatus progress } }',
          variables: { j: jars.PRIVATE },
        },
        {
          next: (event) => {
            if (event.errors) return reject(new Error(event.errors[0].message));
            seen.push(event.data!.documentStatusChanged);
            ready();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300));
    const r = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'live.txt', bytes: `Live status ${randomUUID()}` },
    ]);
    expect(r.status).toBe(202);
    live.id = r.body.data[0].id;
    ready();
    await done;
    // Whatever else follows in the feed, nothing of this document does: READY is its last word.
    await new Promise((r) => setTimeout(r, 200));
    await client.dispose();
    const statuses = statusesOfLive();
    expect(statuses).toContain('PROCESSING');
    expect(statuses[statuses.length - 1]).toBe('READY');
  });

  /** A status feed of `jar` for `token`: the documents it announced, and whether it ended. */
  function statusFeed(jar: string, token: string) {
    const client = createClient({
      url: it_.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const feed = {
      ids: new Set<string>(),
      ended: false,
      errors: [] as string[],
      dispose: () => client.dispose(),
    };
    client.subscribe<{ documentStatusChanged: { id: string } }>(
      {
        query: 'subscription ($j: ID!) { documentStatusChanged(honeyJarId: $j) { id } }',
        variables: { j: jar },
      },
      {
        next: (event) => {
          if (event.errors) feed.errors.push(event.errors[0].message);
          else feed.ids.add(event.data!.documentStatusChanged.id);
        },
        error: (err) => feed.errors.push(String(err)),
        complete: () => (feed.ended = true),
      },
    );
    return feed;
  }

  it.each([
    ['removed from a TEAM jar', 'TEAM'],
    ['whose PUBLIC jar is made PRIVATE', 'PUBLIC'],
  ] as const)('stops streaming to a person %s, and ends their feed', async (_, type) => {
    const made = await gql(
      tokens.owner,
      'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
      {
        i: { name: `Losing access ${randomUUID().slice(0, 6)}`, type },
      },
    );
    const jar = made.data.createHoneyJar.id as string;
    const reader = (await gql(tokens.member, '{ me { id } }')).data.me.id as string;
    const membership = (field: string) =>
      gql(tokens.owner, `mutation ($j: ID!, $u: ID!) { ${field}(honeyJarId: $j, userId: $u) { id } }`, {
        j: jar,
        u: reader,
      });
    if (type === 'TEAM') await membership('addHoneyJarMember');
    const documentsOf = (token: string) => call('GET', `/api/v1/honey-pots/${jar}/documents`, token);
    await until('knowledge to let the reader in', async () =>
      (await documentsOf(tokens.member)).status === 200 ? true : undefined,
    );
    const feed = statusFeed(jar, tokens.member);
    await new Promise((r) => setTimeout(r, 300));
    const before = await upload(jar, tokens.owner, [{ name: 'before.txt', bytes: `Before ${randomUUID()}` }]);
    await until('the reader to hear of the first document', async () =>
      feed.ids.has(before.body.data[0].id) ? true : undefined,
    );
    if (type === 'TEAM') await membership('removeHoneyJarMember');
    else
      await gql(
        tokens.owner,
        'mutation ($j: ID!, $i: UpdateHoneyJarInput!) { updateHoneyJar(id: $j, input: $i) { id } }',
        {
          j: jar,
          i: { type: 'PRIVATE' },
        },
      );
    await until('knowledge to shut the reader out', async () =>
      (await documentsOf(tokens.member)).status === 404 ? true : undefined,
    );
    const after = await upload(jar, tokens.owner, [{ name: 'after.txt', bytes: `After ${randomUUID()}` }]);
    await readyStatus(after.body.data[0].id, tokens.owner);
    await until('the feed to end', async () => (feed.ended ? true : undefined), 5_000);
    feed.dispose();
    expect(feed.ids.has(after.body.data[0].id)).toBe(false);
    expect(feed.errors).toEqual([]);
  });

  it('queues a proposal to a PUBLIC jar for the owner to approve', async () => {
    const r = await upload(jars.PUBLIC, tokens.other, [
      { name: 'idea.txt', bytes: `An idea ${randomUUID()}` },
    ]);
    expect(r.status).toBe(202);
    expect(r.body.data[0].processing_status).toBe('PENDING_REVIEW');
    const queue = await gql(tokens.owner, '{ documentReviewQueue(first: 200) { nodes { id } } }');
    expect(queue.data.documentReviewQueue.nodes.map((d: { id: string }) => d.id)).toContain(
      r.body.data[0].id,
    );
    await gql(tokens.owner, 'mutation ($id: ID!) { approveDocument(id: $id) { id } }', {
      id: r.body.data[0].id,
    });
    expect((await readyStatus(r.body.data[0].id, tokens.owner)).processing_status).toBe('READY');
  });

  it('deletes a document through REST: gone from the routes and its download', async () => {
    const r = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'gone.txt', bytes: `To delete ${randomUUID()}` },
    ]);
    const id = r.body.data[0].id;
    await readyStatus(id, tokens.owner);
    expect((await call('DELETE', `/api/v1/documents/${id}`, tokens.owner)).status).toBe(200);
    expect((await call('GET', `/api/v1/documents/${id}`, tokens.owner)).status).toBe(404);
    expect((await call('GET', `/api/v1/documents/${id}/download`, tokens.owner)).status).toBe(404);
  });
  it('removes the documents of a deleted honey jar', async () => {
    const made = await gql(
      tokens.owner,
      'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
      {
        i: { name: `Short-lived ${randomUUID().slice(0, 6)}` },
      },
    );
    const jar = made.data.createHoneyJar.id;
    const r = await until('knowledge to know the jar', async () => {
      const attempt = await upload(jar, tokens.owner, [
        { name: 'brief.txt', bytes: `Brief ${randomUUID()}` },
      ]);
      return attempt.status === 202 ? attempt : undefined;
    });
    const id = r.body.data[0].id;
    expect((await call('DELETE', `/api/v1/honey-pots/${jar}`, tokens.owner)).status).toBe(200);
    // The row itself goes (an unreadable jar alone would already hide it from the routes).
    const db = new pg.Client({ connectionString: it_.databaseUrl });
    await db.connect();
    try {
      await until('the document to go with its jar', async () => {
        const rows = await db.query('select 1 from knowledge.document where id = $1', [id]);
        return rows.rowCount === 0 ? true : undefined;
      });
    } finally {
      await db.end();
    }
  });
});

describe('hostile uploads', () => {
  it('refuses an empty file with a clear 400 and keeps nothing', async () => {
    const r = await upload(jars.PRIVATE, tokens.owner, [{ name: 'empty.txt', bytes: '' }]);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: 'The file is empty' });
  });

  it('stops an oversize upload early with 413 naming the limit', async () => {
    const big = Buffer.alloc(60 * 1024 * 1024, 'a');
    const r = await upload(jars.PRIVATE, tokens.owner, [{ name: 'big.txt', bytes: big }]).catch((err) => ({
      status: 0,
      body: String(err),
    }));
    // The gateway answers 413 and drops the connection; a client may see the answer or the reset.
    if (r.status !== 0) {
      expect(r.status).toBe(413);
      expect(r.body.error.message).toMatch(/52428800 bytes/);
    }
    const listed = await call('GET', `/api/v1/documents?honey_jar=${jars.PRIVATE}`, tokens.owner);
    expect(listed.body.data.nodes.some((d: { title: string }) => d.title === 'big.txt')).toBe(false);
  });

  it('refuses more than 20 files (or 50 other fields) in one request with 413, keeping the 20 it read and saying so', async () => {
    const made = await gql(
      tokens.owner,
      'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
      { i: { name: `Many files ${randomUUID().slice(0, 6)}` } },
    );
    const jar = made.data.createHoneyJar.id;
    const files = Array.from({ length: 25 }, (_, i) => ({
      name: `note-${i}.txt`,
      bytes: `Note ${i} ${randomUUID()}`,
    }));
    await until('knowledge to know the jar', async () => {
      const probe = await gql(
        tokens.owner,
        'mutation ($j: ID!) { createUpload(honeyJarId: $j, filename: "probe.txt") { token } }',
        { j: jar },
      );
      return probe.errors === undefined ? true : undefined;
    });
    const r = await upload(jar, tokens.owner, files);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(r.body.error.message).toMatch(/at most 20 files: the first 20 were taken/);
    expect(r.body.error.message).toMatch(/the 20 files before it were stored: see data\)$/);
    expect(r.body.data.map((d: { title: string }) => d.title)).toEqual(files.slice(0, 20).map((f) => f.name));
    const listed = await call('GET', `/api/v1/documents?honey_jar=${jar}&limit=50`, tokens.owner);
    expect(listed.body.data.nodes.map((d: { title: string }) => d.title).sort()).toEqual(
      files
        .slice(0, 20)
        .map((f) => f.name)
        .sort(),
    );
    // So do more than 50 other fields.
    const fields = new FormData();
    for (let i = 0; i < 51; i++) fields.append('title', `Title ${i}`);
    fields.append('file', new Blob([`Late ${randomUUID()}`]), 'late.txt');
    const crowded = await call('POST', `/api/v1/honey-pots/${jar}/upload`, tokens.owner, { body: fields });
    expect(crowded.status).toBe(413);
    expect(crowded.body.error.message).toMatch(/at most 50 fields/);
  });

  it('refuses NUL bytes in names and titles, and keeps a traversal name as metadata only', async () => {
    const nul = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'a.txt', bytes: 'x', title: 'bad\u0000title' },
    ]);
    expect(nul.status).toBe(400);
    const traversal = await upload(jars.PRIVATE, tokens.owner, [
      { name: '../../../../etc/passwd.txt', bytes: `traversal ${randomUUID()}` },
    ]);
    expect(traversal.status).toBe(202);
    expect(traversal.body.data[0].title).toBe('passwd.txt');
  });

  it('reads file names and titles as UTF-8, as browsers and curl send them', async () => {
    const r = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'Crème brûlée – 蜂蜜.txt', bytes: `accents ${randomUUID()}` },
      { name: 'notes.txt', bytes: `titled ${randomUUID()}`, title: 'Ruches à Zürich' },
      // A browser's form data sends the quotes as %22 (HTML's multipart encoding): the name is read back whole.
      { name: `Q3 "final" (Bob's) 100%.txt`, bytes: `quoted ${randomUUID()}` },
    ]);
    expect(r.status).toBe(202);
    expect(r.body.data.map((d: { title: string }) => d.title)).toEqual([
      'Crème brûlée – 蜂蜜.txt',
      'Ruches à Zürich',
      `Q3 "final" (Bob's) 100%.txt`,
    ]);
    // A title that already ends with its type's extension keeps it once; the UTF-8 name goes in filename*.
    const named = await call('GET', `/api/v1/documents/${r.body.data[0].id}/download`, tokens.owner);
    expect(named.headers.get('content-disposition')).toBe(
      `attachment; filename="Cr_me br_l_e _ __.txt"; filename*=UTF-8''${encodeURIComponent('Crème brûlée – 蜂蜜.txt')}`,
    );
    const titled = await call('GET', `/api/v1/documents/${r.body.data[1].id}/download`, tokens.owner);
    expect(titled.headers.get('content-disposition')).toContain(
      `''${encodeURIComponent('Ruches à Zürich.txt')}`,
    );
    // RFC 8187's value has no ' ( ) or *: they are escaped too, and the quotes stay out of the ASCII name.
    const quoted = await call('GET', `/api/v1/documents/${r.body.data[2].id}/download`, tokens.owner);
    expect(quoted.headers.get('content-disposition')).toBe(
      `attachment; filename="Q3 _final_ (Bob's) 100%.txt"; ` +
        `filename*=UTF-8''Q3%20%22final%22%20%28Bob%27s%29%20100%25.txt`,
    );
  });

  it('refuses a file name or title that is not UTF-8 instead of storing U+FFFD in its place', async () => {
    // What an old client sends for `café`: Latin-1, the é a single byte 0xE9.
    const boundary = 'sting-latin1-boundary';
    const multipart = (disposition: Buffer, title?: Buffer) =>
      Buffer.concat([
        ...(title
          ? [
              Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="title"\r\n\r\n`),
              title,
              Buffer.from('\r\n'),
            ]
          : []),
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="`),
        disposition,
        Buffer.from(`"\r\ncontent-type: text/plain\r\n\r\nlatin ${randomUUID()}\r\n--${boundary}--\r\n`),
      ]);
    const latin1 = Buffer.from('caf\xe9.txt', 'latin1');
    const send = (body: Buffer) =>
      call('POST', `/api/v1/honey-pots/${jars.PRIVATE}/upload`, tokens.owner, {
        body: new Uint8Array(body),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    const before = (await call('GET', `/api/v1/honey-pots/${jars.PRIVATE}/documents`, tokens.owner)).body.data
      .nodes.length;
    const name = await send(multipart(latin1));
    expect([name.status, name.body.error.message]).toEqual([400, 'The file name is not valid UTF-8']);
    const title = await send(
      multipart(Buffer.from('ok.txt'), Buffer.from('Ruches \xe0 Z\xfcrich', 'latin1')),
    );
    expect([title.status, title.body.error.message]).toEqual([400, 'title is not valid UTF-8']);
    const after = await call('GET', `/api/v1/honey-pots/${jars.PRIVATE}/documents`, tokens.owner);
    expect(after.body.data.nodes).toHaveLength(before);
  });

  it('answers a malformed or cut-off multipart body with 400, keeps nothing and goes on serving', async () => {
    const boundary = 'sting-cut-boundary';
    const part = (text: string) =>
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="cut.txt"\r\n` +
      `content-type: text/plain\r\n\r\n${text}`;
    const send = (jar: string, body: string, type = `multipart/form-data; boundary=${boundary}`) =>
      call('POST', `/api/v1/honey-pots/${jar}/upload`, tokens.owner, {
        body,
        headers: { 'content-type': type },
      });
    const count = async () =>
      (await call('GET', `/api/v1/honey-pots/${jars.PRIVATE}/documents`, tokens.owner)).body.data.nodes
        .length;
    const before = await count();
    const noBoundary = await send(jars.PRIVATE, 'garbage', 'multipart/form-data');
    expect([noBoundary.status, noBoundary.body.error.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(noBoundary.body.error.message).toMatch(/needs a boundary/);
    for (const body of [
      part(`cut off inside the file ${randomUUID()}`),
      `--${boundary}\r\ncontent-dispo`,
      `--${boundary}\r\n${'x'.repeat(20_000)}\r\n\r\n`,
    ]) {
      const r = await send(jars.PRIVATE, body);
      expect([r.status, r.body.error.code]).toEqual([400, 'BAD_USER_INPUT']);
      expect(r.body.error.message).toMatch(/^The multipart\/form-data body is malformed: /);
    }
    // The body ends inside the part while the jar is being checked (and found missing): whichever is seen first.
    const unknown = await send(randomUUID(), part('to no jar'));
    expect([400, 404]).toContain(unknown.status);
    // A client that goes away in the middle of a file.
    await new Promise<void>((resolve, reject) => {
      const url = new URL(`/api/v1/honey-pots/${jars.PRIVATE}/upload`, it_.url);
      const req = httpRequest(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.owner}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': '1000000',
        },
      });
      req.on('error', () => resolve());
      req.on('response', () => reject(new Error('answered a body that never came')));
      req.write(part('the first of many bytes'), () => setTimeout(() => (req.destroy(), resolve()), 300));
    });
    expect(await count()).toBe(before);
    // Its file stops being written: no partial staging file stays open behind it.
    const staging = join(dirname(it_.keysDir), 'blobs', 'staging');
    await waitFor(async () => (await readdir(staging).catch(() => [])).every((n) => !n.endsWith('.part')));
    const after = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'whole.txt', bytes: `whole ${randomUUID()}` },
    ]);
    expect(after.status).toBe(202);
  });

  it('refuses a file whose content is not its type', async () => {
    const r = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'report.pdf', bytes: 'plain words, not a PDF' },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_USER_INPUT');
    expect(r.body.data).toBeUndefined();
    // After a file that was stored: the refusal says so, and names the document it made.
    const after = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'kept.txt', bytes: `kept ${randomUUID()}` },
      { name: 'report.pdf', bytes: 'plain words, not a PDF' },
      { name: 'never-read.txt', bytes: `never read ${randomUUID()}` },
    ]);
    expect(after.status).toBe(400);
    expect(after.body.error.message).toMatch(/\(the file before it was stored: see data\)$/);
    expect(after.body.data).toEqual([
      expect.objectContaining({ title: 'kept.txt', processing_status: 'PENDING' }),
    ]);
  });

  it('refuses a cookie-authenticated upload from another site', async () => {
    const r = await upload(jars.PRIVATE, undefined, [{ name: 'csrf.txt', bytes: 'forged' }], {
      cookie: `sting_session=${tokens.owner}`,
      origin: 'https://evil.example',
    });
    expect(r.status).toBe(403);
  });

  it('lets nobody without access upload to or download from a jar', async () => {
    const mine = await upload(jars.PRIVATE, tokens.owner, [
      { name: 'private.txt', bytes: `secret ${randomUUID()}` },
    ]);
    const id = mine.body.data[0].id;
    expect((await upload(jars.PRIVATE, tokens.other, [{ name: 'x.txt', bytes: 'intrusion' }])).status).toBe(
      404,
    );
    expect((await upload(jars.PRIVATE, undefined, [{ name: 'x.txt', bytes: 'intrusion' }])).status).toBe(401);
    expect((await call('GET', `/api/v1/documents/${id}/download`, tokens.other)).status).toBe(404);
    expect((await call('GET', `/api/v1/documents/${id}/download`)).status).toBe(401);
    expect((await call('DELETE', `/api/v1/documents/${id}`, tokens.other)).status).toBe(404);
  });
});
