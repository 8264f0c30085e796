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

describe('documents across services', () => {
  it('uploads through the gateway, ingests in the knowledge service and downloads the original', async () => {
    const made = await graphql(
      it_.url,
      'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
      { i: { name: 'Distributed notes' } },
      token,
    );
    const jar = made.data.createHoneyJar.id;
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
});
