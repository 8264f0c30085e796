// Documents in the distributed topology: the gateway streams the upload into the blob store and asks the knowledge
// service (its own HTTP service here) to complete it; the knowledge service's worker ingests it; the gateway
// serves the download. The same configuration (blob directory and key) is all the two share.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import {
  ADMIN,
  graphql,
  signIn,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from './platform.ts';

let it_: IntegrationPlatform;
let token: string;

beforeAll(async () => {
  it_ = await startIntegrationPlatform('distributed', { chromaUrl: process.env.CHROMA_URL });
  token = await signIn(it_.url, ADMIN.email, ADMIN.password);
}, 60_000);

afterAll(async () => {
  await it_?.stop();
});

const auth = () => ({ authorization: `Bearer ${token}` });
const ask = (query: string) => graphql(it_.url, query, undefined, token);
const createJar = async (name: string): Promise<string> =>
  (
    await graphql(
      it_.url,
      'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
      { n: name },
      token,
    )
  ).data.createHoneyJar.id;

describe('documents across services', () => {
  it('uploads through the gateway, ingests in the knowledge service and downloads the original', async () => {
    const jar = await createJar('Distributed notes');
    const text = '# Apiary\n\nThe apiary sits on the south slope, sheltered from the wind.';
    let response: Response | undefined;
    await waitFor(async () => {
      const body = new FormData();
      body.append('file', new Blob([text]), 'apiary.md');
      response = await fetch(new URL(`/api/v1/honey-pots/${jar}/upload`, it_.url), {
        method: 'POST',
        body,
        headers: auth(),
      });
      return response.status !== 404;
    }, 10_000);
    expect(response!.status).toBe(202);
    const id = ((await response!.json()) as { data: { id: string }[] }).data[0].id;
    await waitFor(async () => {
      const r = await fetch(new URL(`/api/v1/documents/${id}`, it_.url), { headers: auth() });
      return ((await r.json()) as { data: { processing_status: string } }).data.processing_status === 'READY';
    }, 30_000);
    const download = await fetch(new URL(`/api/v1/documents/${id}/download`, it_.url), { headers: auth() });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(text);
  }, 60_000);

  it("counts a jar's documents, and lists the jars with their counts null (and says why) while knowledge is down", async () => {
    const jar = await createJar('Counted notes');
    const rest = async () => {
      const r = await fetch(new URL('/api/v1/honey-pots?first=100', it_.url), { headers: auth() });
      const body = (await r.json()) as {
        data: { nodes: { id: string; document_count: number | null; chunk_count: number | null }[] };
        warnings?: { code: string; message: string }[];
      };
      return { status: r.status, body, mine: body.data.nodes.find((n) => n.id === jar) };
    };
    const up = await rest();
    expect(up.status).toBe(200);
    expect(up.mine).toMatchObject({ document_count: 0, chunk_count: 0 });
    expect(up.body.warnings).toBeUndefined();

    // Knowledge's process gone: the rest of each jar still answers.
    await it_.stopService('knowledge');
    const listed = await ask('{ honeyJars(first: 100) { nodes { id name documentCount chunkCount } } }');
    expect(listed.data.honeyJars.nodes).toContainEqual({
      id: jar,
      name: 'Counted notes',
      documentCount: null,
      chunkCount: null,
    });
    expect(listed.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const down = await rest();
    expect(down.status).toBe(200);
    expect(down.mine).toMatchObject({ document_count: null, chunk_count: null });
    expect(down.body.warnings).toEqual([
      { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/^knowledge is unavailable/) },
    ]);
  }, 60_000);
});
