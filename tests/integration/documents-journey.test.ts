// The README's journey, as a person would walk it with curl: sign in, create a honey jar, upload one file of each
// of the nine formats in one multipart POST, watch every document become READY, and find a sentence of each
// with GET /api/v1/search. The files are written by the real writer libraries (tests/bench/corpus/writers.ts).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { writeDocument, EXTENSION, type CorpusFileType } from '../bench/corpus/writers.ts';
import { ADMIN, signIn, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

const FORMATS: CorpusFileType[] = ['pdf', 'docx', 'html', 'markdown', 'text', 'json', 'csv', 'xlsx', 'pptx'];
// One made-up word per format, so each search can only be answered by its own file.
const WORDS: Record<CorpusFileType, string> = {
  pdf: 'zephyrine',
  docx: 'quillomat',
  html: 'brambleton',
  markdown: 'cindervale',
  text: 'mossglimmer',
  json: 'tarnwhistle',
  csv: 'plumbrook',
  xlsx: 'fennivar',
  pptx: 'gorselight',
};
const sentence = (format: CorpusFileType) =>
  `The ${WORDS[format]} colony gathers heather honey in late August.`;

let it_: IntegrationPlatform;
let token: string;

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded', { chromaUrl: process.env.CHROMA_URL });
  token = await signIn(it_.url, ADMIN.email, ADMIN.password);
}, 60_000);

afterAll(async () => {
  await it_?.stop();
});

async function api(method: string, path: string, body?: BodyInit, type?: string) {
  const response = await fetch(new URL(path, it_.url), {
    method,
    body,
    headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) },
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('the README journey', () => {
  it('uploads one file of each of the nine formats, sees them READY and finds a sentence of each', async () => {
    const jar = await api(
      'POST',
      '/api/v1/honey-pots',
      JSON.stringify({ name: 'Field guide' }),
      'application/json',
    );
    expect(jar.status).toBe(201);
    const id = jar.body.data.id;

    const form = new FormData();
    for (const format of FORMATS) {
      const bytes = await writeDocument(format, {
        title: `Notes in ${format}`,
        sections: [{ heading: 'Colonies', paragraphs: [sentence(format), 'Bees fan the hive to cool it.'] }],
      });
      form.append('file', new Blob([new Uint8Array(bytes)]), `notes.${EXTENSION[format]}`);
    }
    let upload = await api('POST', `/api/v1/honey-pots/${id}/upload`, form);
    // knowledge hears of the new jar over the bus; the first upload may come a moment too early.
    for (let i = 0; upload.status === 404 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      upload = await api('POST', `/api/v1/honey-pots/${id}/upload`, form);
    }
    expect(upload.status).toBe(202);
    expect(upload.body.data.map((d: { file_type: string }) => d.file_type)).toEqual(FORMATS);

    type Listed = { file_type: string; processing_status: string; processing_error: string | null };
    const listed = async (): Promise<Listed[]> =>
      (await api('GET', `/api/v1/honey-pots/${id}/documents`)).body.data.nodes;
    const deadline = Date.now() + 60_000;
    let documents = await listed();
    while (
      documents.some((d) => !['READY', 'FAILED'].includes(d.processing_status)) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 250));
      documents = await listed();
    }
    const byType = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(documents.map((d) => [d.file_type, d.processing_status, d.processing_error]).sort(byType)).toEqual(
      FORMATS.map((f) => [f, 'READY', null]).sort(byType),
    );

    for (const format of FORMATS) {
      const hits = await api(
        'GET',
        `/api/v1/search?q=${encodeURIComponent(`${WORDS[format]} colony`)}&honey_jar=${id}`,
      );
      expect(hits.status).toBe(200);
      expect(hits.body.data[0].document.file_type).toBe(format);
      expect(hits.body.data[0].text).toContain(WORDS[format]);
    }
  }, 120_000);
});
