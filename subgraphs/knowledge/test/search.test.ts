// Hybrid search against real PostgreSQL and Chroma: the index written through ChunkIndex, ranking and fusion,
// highlights, hostile input, and the permission matrix (every jar type x every relation), including jars the
// client names but may not read, and access changes arriving from honey-jars' events.
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createChromaClient, createEvent, Topics, type Viewer } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { JarTypes } from '../src/entities/jar-access.ts';
import { can } from '../src/domain/jar-access/policies.ts';
import { canRead, jarFacts } from '../src/domain/jar-access/access.ts';
import { followJarAccess } from '../src/domain/jar-access/follow.ts';
import { reciprocalRankFusion } from '../src/domain/search/fusion.ts';
import {
  search,
  searchCorrection,
  type QueryAnalyses,
  type SearchRequest,
} from '../src/domain/search/search.ts';
import {
  analyseQuery,
  chunkTable,
  correctQuery,
  jarsCheckedOnRows,
  keywordSearch,
  vectorQueryText,
} from '../src/domain/search/keyword.ts';
import { searchServices, type SearchServices } from '../src/domain/search/services.ts';
import { fillWrittenCase, writtenCase } from '../src/domain/search/written-case.ts';
import { collectionName, JarVectors } from '../src/domain/search/vectors.ts';
import { searchSettingsFrom } from '../src/domain/search/settings.ts';
import { configSchema } from '@sting/kit/config/schema.ts';
import type { IndexableChunk } from '../src/domain/search/chunk-index.ts';
import { subgraph } from '../src/index.ts';
import { buildJar, buildViewer, RELATIONS, viewerFor, type BuiltJar } from './factories.ts';

let t: TestRuntime;
let s: SearchServices;
beforeAll(async () => {
  t = await startTestRuntime(subgraph, { config: { chroma: { url: process.env.CHROMA_URL } } });
  s = await searchServices(t.runtime);
});
afterAll(async () => {
  await t.close();
});

const chunk = (ordinal: number, text: string, headingPath: string[] = []): IndexableChunk => ({
  ordinal,
  text,
  headingPath,
  page: ordinal + 1,
  slide: null,
  sheet: null,
  charStart: ordinal * 1000,
  charEnd: ordinal * 1000 + text.length,
});

/** Indexes one document (keyword rows and vectors) and returns its id. */
async function indexDocument(honeyJarId: string, title: string, texts: string[], headings: string[][] = []) {
  const id = randomUUID();
  const chunks = texts.map((text, i) => chunk(i, text, headings[i]));
  const vectors = await s.embedder.embed(
    chunks.map((c) => `${title}\n${c.headingPath.join(' / ')}\n${c.text}`),
  );
  await s.chunkIndex.replaceDocumentChunks(
    { id, honeyJarId, title, fileType: 'markdown', createdAt: new Date(), version: 1 },
    chunks,
    vectors,
  );
  return id;
}

const find = (viewer: Viewer | null, request: SearchRequest) => search({ em: t.em(), ...s }, viewer, request);

const SEARCH = `query($q: String!, $jars: [ID!], $first: Int) { search(query: $q, honeyJarIds: $jars, first: $first) {
  score text highlights page headingPath chunkId chunkVersion document { id } honeyJar { id } } }`;

describe('reciprocal rank fusion', () => {
  it('scores weight / (k + rank) summed over lists; an item both lists rank beats one ranked first once', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['b', 'd', 'a'],
      ],
      { k: 60, weights: [1, 1] },
    );
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0].score).toBeCloseTo(1 / 62 + 1 / 61);
    expect(fused[0].ranks).toEqual([2, 1]);
    expect(fused.find((f) => f.id === 'c')?.ranks).toEqual([3, null]);
  });

  it('follows the weights, and counts an id repeated in one list once', () => {
    const lists = [['a', 'a'], ['b']];
    expect(reciprocalRankFusion(lists, { k: 60, weights: [1, 2] }).map((f) => f.id)).toEqual(['b', 'a']);
    expect(reciprocalRankFusion(lists, { k: 60, weights: [1, 1] })[0].score).toBeCloseTo(1 / 61);
  });
});

describe('ranking', () => {
  let owner: Viewer;
  let jar: BuiltJar;
  beforeAll(async () => {
    owner = buildViewer();
    jar = await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id });
    await indexDocument(
      jar.honeyJarId,
      'Beekeeping handbook',
      [
        'Queen bees lay up to two thousand eggs a day during the spring build-up.',
        'Varroa mites are treated with oxalic acid in winter when the colony is broodless.',
        'Honey is extracted with a centrifuge once the frames are capped.',
      ],
      [['Colony'], ['Health', 'Pests'], ['Harvest']],
    );
    await indexDocument(jar.honeyJarId, 'Travel expenses policy', [
      'Refunds for train tickets are paid within thirty days of the claim.',
      'Hotel costs above the city limit need the approval of a director.',
    ]);
  });

  it('puts the passage sharing the query words first, with highlights, page, heading path and version', async () => {
    const [hit] = await find(owner, { query: 'how are varroa mites treated?' });
    expect(hit.text).toMatch(/Varroa mites/);
    expect(hit.headingPath).toEqual(['Health', 'Pests']);
    expect(hit.page).toBe(2);
    expect(hit.highlights.join(' ')).toMatch(/\*\*Varroa\*\*/i);
    expect(hit.chunkVersion).toMatch(/^[0-9a-f]{32}$/);
    expect(hit.documentTitle).toBe('Beekeeping handbook');
  });

  it('finds by the title and heading path as well as the text', async () => {
    const hits = await find(owner, { query: 'travel policy', first: 2 });
    expect(hits.map((h) => h.documentTitle)).toEqual(['Travel expenses policy', 'Travel expenses policy']);
  });

  it("answers a hit's document title and type from the hit, so a document deleted meanwhile fails nothing", async () => {
    // These chunks have no document row, as after a deletion committed between the search and its fields.
    const answer = await t.run(
      owner,
      `query($q: String!) { search(query: $q, first: 2) { document { id title fileType } } }`,
      {
        q: 'travel policy',
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.search[0].document).toMatchObject({
      title: 'Travel expenses policy',
      fileType: 'markdown',
    });
  });

  it('finds a paraphrase with no shared stem through the vector list, and both lists agree in hybrid', async () => {
    const vectorOnly = await find(owner, { query: 'refund train', mode: 'vector' });
    expect(vectorOnly[0].text).toMatch(/Refunds for train tickets/);
    const hybrid = await find(owner, { query: 'refund train', mode: 'hybrid' });
    expect(hybrid[0].text).toMatch(/Refunds for train tickets/);
    // Found first by both lists: each list's weight / (60 + 1).
    expect(hybrid[0].score).toBeCloseTo((s.settings.keywordWeight + s.settings.vectorWeight) / 61, 6);
  });

  it('forgives a slip in a word no chunk holds, matching the most similar words of the readable jars', async () => {
    // "varoa" and "centrifgue" are in no chunk: keyword search alone finds the passages they were meant for.
    const [mites] = await find(owner, { query: 'varoa treatment', mode: 'keyword' });
    expect(mites.text).toMatch(/Varroa mites/);
    const [harvest] = await find(owner, { query: 'centrifgue', mode: 'keyword' });
    expect(harvest.text).toMatch(/centrifuge/);
    // Words that are present are not widened: "colony" finds only its own passage, not "colon…" lookalikes.
    const colony = await find(owner, { query: 'colony', mode: 'keyword' });
    expect(colony.map((h) => h.text)).toEqual([
      expect.stringMatching(/Queen bees/),
      expect.stringMatching(/Varroa/),
    ]);
    // Codes and short words are never guessed at: a number no chunk holds finds nothing.
    expect(await find(owner, { query: '2941', mode: 'keyword' })).toEqual([]);
  });

  it('answers a query close to nothing with nothing, not with the nearest of unrelated passages', async () => {
    // The vector list always has neighbours; in hybrid search those below knowledge.search.minSimilarity do not
    // vote. Vector-only search (benchmarks) still lists them.
    expect(await find(owner, { query: 'qwzx vbnm', mode: 'hybrid' })).toEqual([]);
    const nearest = await find(owner, { query: 'qwzx vbnm', mode: 'vector' });
    expect(nearest.length).toBeGreaterThan(0);
    expect(nearest.every((h) => (h.similarity ?? 1) < s.settings.minSimilarity)).toBe(true);
    // A passage close enough still counts without a keyword: the paraphrase test above finds "refund train".
  });

  it('widens a slip only within the jars the viewer may read', async () => {
    const other = await buildJar(t.em(), { type: 'PRIVATE', ownerId: buildViewer().id });
    await indexDocument(other.honeyJarId, 'Secret', ['Zanzibarite ore is stored in the eastern vault.']);
    expect(await find(owner, { query: 'zanzibarit', mode: 'keyword' })).toEqual([]);
    // Hybrid still lists the viewer's own nearest passages, never the other jar's.
    const hybrid = await find(owner, { query: 'zanzibarit', mode: 'hybrid' });
    expect(hybrid.filter((h) => h.honeyJarId === other.honeyJarId || /Zanzibarite/.test(h.text))).toEqual([]);
    // Two edits away, found by trigrams in the vocabulary of all jars: taken for the word in its own jar only.
    expect((await analyseQuery(t.em(), 'zanzibraite', [other.honeyJarId])).corrections).toEqual(
      new Map([['zanzibraite', 'zanzibarit']]),
    );
    expect((await analyseQuery(t.em(), 'zanzibraite', [jar.honeyJarId])).corrections.size).toBe(0);
  });

  it('answers best first, scores descending, at most `first` hits', async () => {
    const hits = await find(owner, { query: 'bees honey colony frames', first: 2 });
    expect(hits).toHaveLength(2);
    expect(hits[0].score).toBeGreaterThanOrEqual(hits[1].score);
  });

  it('orders passages that score alike by the newer document first, then in reading order', async () => {
    const rota = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: jar.ownerId })).honeyJarId;
    const index = async (createdAt: string, texts: string[]) => {
      const id = randomUUID();
      await s.chunkIndex.replaceDocumentChunks(
        {
          id,
          honeyJarId: rota,
          title: 'Kestrel rota',
          fileType: 'text',
          createdAt: new Date(createdAt),
          version: 1,
        },
        texts.map((text, i) => chunk(i, text)),
        await s.embedder.embed(texts),
      );
      return id;
    };
    // "kestrel" is only in the titles: every passage scores alike.
    const older = await index('2026-01-05T00:00:00Z', ['Mondays: Ann.', 'Tuesdays: Bo.', 'Wednesdays: Cy.']);
    const newer = await index('2026-02-05T00:00:00Z', ['Thursdays: Di.', 'Fridays: Ed.']);
    for (let i = 0; i < 2; i++) {
      const hits = await find(owner, { query: 'kestrel', mode: 'keyword', honeyJarIds: [rota] });
      expect(hits.map((h) => [h.documentId, h.ordinal])).toEqual([
        [newer, 0],
        [newer, 1],
        [older, 0],
        [older, 1],
        [older, 2],
      ]);
    }
  });

  it('replaces a document as a whole: old chunks are not found, their versions change', async () => {
    const id = await indexDocument(jar.honeyJarId, 'Notes', ['The smoker calms the bees before inspection.']);
    const [before] = await find(owner, { query: 'smoker inspection' });
    await s.chunkIndex.replaceDocumentChunks(
      { id, honeyJarId: jar.honeyJarId, title: 'Notes', fileType: 'text', createdAt: new Date(), version: 2 },
      [chunk(0, 'A veil protects the face during inspection.')],
      await s.embedder.embed(['A veil protects the face during inspection.']),
    );
    const hits = await find(owner, { query: 'smoker inspection veil' });
    expect(hits.filter((h) => h.documentId === id).map((h) => h.text)).toEqual([
      'A veil protects the face during inspection.',
    ]);
    expect(hits[0].chunkVersion).not.toBe(before.chunkVersion);
    await s.chunkIndex.removeDocument(id, jar.honeyJarId);
    expect((await find(owner, { query: 'veil' })).filter((h) => h.documentId === id)).toEqual([]);
  });
});

describe('typing slips', () => {
  let owner: Viewer;
  let jarId: string;
  beforeAll(async () => {
    owner = buildViewer();
    jarId = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id })).honeyJarId;
    // "month" is in 20 of the jar's 22 chunks: a common word. The two names are in one chunk each.
    await indexDocument(
      jarId,
      'Payroll',
      Array.from({ length: 20 }, (_, i) => `Salaries for month ${i + 1} are paid on the last working day.`),
    );
    await indexDocument(jarId, 'Vendors', [
      'Tonofa receives its licence fee every quarter.',
      'Velnox hosts the archive in Porto, led by Ada.',
      'The Warehouses of the north ship pallets.',
      'Notes ⟦on⟧ Quorvath rotas.',
      'Lavender honey was harvested in July.',
    ]);
  });

  const CORRECTION = `query ($q: String!, $jars: [ID!]) {
    searchCorrection(query: $q, honeyJarIds: $jars) { query words { typed searched } }
  }`;

  it('says what it searched for instead: the word as the documents write it, in the case typed', async () => {
    const answer = await t.run(owner, CORRECTION, {
      q: 'When is tnofa paid by the WAREHUOSES?',
      jars: [jarId],
    });
    expect(answer.errors).toBeUndefined();
    // "warehous" is the word as the index keeps it; people read "Warehouses".
    expect(answer.data.searchCorrection).toEqual({
      query: 'When is tonofa paid by the WAREHOUSES?',
      words: [
        { typed: 'tnofa', searched: 'Tonofa' },
        { typed: 'WAREHUOSES', searched: 'Warehouses' },
      ],
    });
    const cases: [typed: string, searched: string, query: string][] = [
      // A name the stemmer took no ending off: the jars' word with its capital.
      ['quorvth', 'Quorvath', 'quorvath'],
      // The stemmer makes "quorvthi" of "quorvthy", no beginning of it: the word is read from a passage, and the
      // characters the passage holds that words are marked with do not put its own text in the query.
      ['quorvthy', 'Quorvath', 'quorvath'],
      // The slip's own ending is kept where the stemmer makes the jars' word of it: the form the person typed
      // ("warehouse", where the passage says "Warehouses").
      ['warehuose', 'Warehouse', 'warehouse'],
      // The stemmer takes an "e" off "tonofe", but the name is closer to what was typed than "tonofae".
      ['tonofe', 'Tonofa', 'tonofa'],
      // A slip the stemmer took no ending off may have swallowed one: the word is read from a passage.
      ['harvestd', 'harvested', 'harvested honey'],
      // The slip's ending is not kept on a word the passages write just as the index keeps it: "leads" is taken
      // for "led", which the stemmer would also make of "leds", a word no passage writes. The ending typed is
      // lost where the word had one ("quartrs" is "quarter" as the passage writes it, not "quarters").
      ['leads', 'led', 'led'],
      ['quartrs', 'quarter', 'quarter'],
    ];
    for (const [typed, searched, query] of cases) {
      const q = query.replace(/^\S+/, typed);
      const answer = await t.run(owner, CORRECTION, { q, jars: [jarId] });
      expect(answer.data.searchCorrection).toEqual({ query, words: [{ typed, searched }] });
    }
    const exact = await t.run(owner, CORRECTION, { q: 'When is Tonofa paid?', jars: [jarId] });
    expect(exact.data.searchCorrection).toBeNull();
  });

  it('reads how the jars write a corrected word in the chunk kept for it, and finds another once it is gone', async () => {
    const me = buildViewer();
    const jar = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: me.id })).honeyJarId;
    await indexDocument(jar, 'Stock', ['The honey was harvested in July.']);
    const later = await indexDocument(jar, 'Costs', ['The costs of harvesting rose.']);
    const schema = t.em().config.get('schema');
    const example = async () => {
      const [row] = await t
        .em()
        .getConnection()
        .execute<{ text: string | null }[]>(
          `select c.text from "${schema}"."chunk_lexeme" s left join "${schema}"."chunk" c on c.id = s.example
           where s.honey_jar_id = ? and s.lexeme = 'harvest'`,
          [jar],
        );
      return row.text;
    };
    // The stemmer takes nothing off "harvestq", so its spelling is read from a passage: the chunk kept for the word,
    // the last one written with it.
    expect(await example()).toBe('The costs of harvesting rose.');
    const spelled = async () =>
      (await t.run(me, CORRECTION, { q: 'harvestq costs', jars: [jar] })).data.searchCorrection;
    expect(await spelled()).toEqual({
      query: 'harvesting costs',
      words: [{ typed: 'harvestq', searched: 'harvesting' }],
    });
    // That chunk removed, another passage holding the word is found.
    await s.chunkIndex.removeDocument(later, jar);
    expect(await example()).toBeNull();
    expect(await spelled()).toEqual({
      query: 'harvested costs',
      words: [{ typed: 'harvestq', searched: 'harvested' }],
    });
  });

  it('offers no word of a jar the viewer may not read, and refuses what search refuses', async () => {
    const stranger = buildViewer();
    const answer = await t.run(stranger, CORRECTION, { q: 'tnofa', jars: [jarId] });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.searchCorrection).toBeNull();
    const anonymous = await t.run(null, CORRECTION, { q: 'tnofa', jars: [jarId] });
    expect(anonymous.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const nul = await t.run(owner, CORRECTION, { q: 'tnofa\u0000', jars: [jarId] });
    expect(nul.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const empty = await t.run(owner, CORRECTION, { q: '   ', jars: [jarId] });
    expect(empty.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('takes a slip in a name for the name, in the keyword and the vector half alike, and marks the name', async () => {
    const corrected = async (query: string) => {
      const analysed = await analyseQuery(t.em(), query, [jarId]);
      return (await correctQuery(t.em(), query, analysed))?.query ?? query;
    };
    expect(await corrected('When is TNOFA paid?')).toBe('When is TONOFA paid?');
    expect(await corrected('tnofa or Tnofa')).toBe('tonofa or Tonofa');
    // The word as written, not as the index keeps it ("warehous"): what a model embedder should be given.
    expect(await corrected('warehuoses of the north')).toBe('warehouses of the north');
    const analysed = await analyseQuery(t.em(), 'When is TNOFA paid?', [jarId]);
    expect([...analysed.corrections]).toEqual([['tnofa', 'tonofa']]);
    const [keyword] = await find(owner, { query: 'When is TNOFA paid?', mode: 'keyword' });
    expect(keyword.text).toMatch(/^Tonofa receives/);
    expect(keyword.highlights.join(' ')).toMatch(/\*\*Tonofa\*\*/);
    // A dropped letter and a doubled one: the vector half searches for the name itself, as close as when typed.
    const [exact] = await find(owner, { query: 'velnox archive', mode: 'vector' });
    expect(exact.text).toMatch(/^Velnox hosts/);
    for (const query of ['velnx archive', 'velnnox archive']) {
      const [vector] = await find(owner, { query, mode: 'vector' });
      expect(vector.chunkId).toBe(exact.chunkId);
      expect(vector.similarity).toBeCloseTo(exact.similarity!, 6);
    }
  });

  it('analyses a query once for search and searchCorrection in one request', async () => {
    // The web app asks both of the same query in one operation; each request keeps its own analyses.
    const pool = await t.em().getConnection().getNativeClient();
    const query = 'when is tnofa paid';
    const statements = async (analyses: QueryAnalyses | undefined) => {
      const sent = jest.spyOn(pool, 'query');
      try {
        const hits = await search({ em: t.em(), ...s, analyses }, owner, { query, honeyJarIds: [jarId] });
        const correction = await searchCorrection(
          t.em(),
          owner,
          { query, honeyJarIds: [jarId] },
          s.settings,
          undefined,
          analyses,
        );
        expect(hits[0].text).toMatch(/^Tonofa receives/);
        expect(correction?.query).toBe('when is tonofa paid');
        const texts = sent.mock.calls.map(([config]) => (config as unknown as { text: string }).text);
        return {
          analysed: texts.filter((text) => text.includes('with ordinality w(word, n)')).length,
          spelt: texts.filter((text) => text.includes('tsvector_to_array')).length,
        };
      } finally {
        sent.mockRestore();
      }
    };
    expect(await statements(undefined)).toEqual({ analysed: 2, spelt: 2 });
    const analyses: QueryAnalyses = new Map();
    expect(await statements(analyses)).toEqual({ analysed: 1, spelt: 1 });
    expect(analyses.size).toBe(1);
    // Through the schema: the request's loaders keep them.
    const sent = jest.spyOn(pool, 'query');
    try {
      const both = await t.run(
        owner,
        `query ($q: String!, $jars: [ID!]) {
          search(query: $q, honeyJarIds: $jars) { text }
          searchCorrection(query: $q, honeyJarIds: $jars) { query }
        }`,
        { q: query, jars: [jarId] },
      );
      expect(both.data.searchCorrection).toEqual({ query: 'when is tonofa paid' });
      const texts = sent.mock.calls.map(([config]) => (config as unknown as { text: string }).text);
      expect(texts.filter((text) => text.includes('with ordinality w(word, n)'))).toHaveLength(1);
    } finally {
      sent.mockRestore();
    }
  });

  it('leaves a word the jars lack alone when the word it is close to is a common one', async () => {
    // "monty" is one edit from "month", but "month" is in most chunks: no correction, so no keyword hit.
    const analysed = await analyseQuery(t.em(), 'monty', [jarId]);
    expect(analysed.corrections.size).toBe(0);
    expect(await find(owner, { query: 'monty', mode: 'keyword' })).toEqual([]);
    // Two edits are too many for a short word: "tnfa" is two from "tonofa".
    expect((await analyseQuery(t.em(), 'tnfa', [jarId])).corrections.size).toBe(0);
  });

  it('corrects only towards words of the jars asked, so a slip reveals nothing of other jars', async () => {
    // "tonofa" is only in the jar not asked about.
    const analysed = await analyseQuery(t.em(), 'tnofa', [randomUUID()]);
    expect(analysed.corrections.size).toBe(0);
    expect(analysed.terms.map((term) => term.df)).toEqual([0]);
  });
});

describe('a query of common words only', () => {
  // "invoice" is in 2,102 chunks of the jar and "shipment" in 1,007, each too common to select by alone; two
  // chunks hold both.
  const owner = buildViewer();
  const texts = [
    ...Array.from({ length: 2100 }, (_, i) => `Invoice entry ${i} for the ledger.`),
    ...Array.from({ length: 1005 }, (_, i) => `Shipment entry ${i} for the warehouse.`),
    'The invoice went out with the shipment on Monday.',
    'Each shipment carries its invoice in the box.',
  ];
  beforeAll(async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id });
    await indexDocument(jar.honeyJarId, 'Ledger', texts);
  });

  it('is matched by the chunks holding all of its words, not by a sample of those holding any', async () => {
    const hits = await find(owner, { query: 'invoice shipment', mode: 'keyword', first: 10 });
    expect(hits.map((hit) => hit.text).sort()).toEqual([texts[3106], texts[3105]]);
  });

  it('is left to the vector list when too many chunks hold all its words to rank them', async () => {
    expect(await find(owner, { query: 'invoice', mode: 'keyword' })).toEqual([]);
    const hits = await find(owner, { query: 'invoice', first: 5 });
    expect(hits).toHaveLength(5);
    expect(hits.every((hit) => /invoice/i.test(hit.text) && !hit.keywordMatch)).toBe(true);
  });
});

describe('readable jars checked on the rows the words find', () => {
  // Where the other jars' rows the words are expected to find cost less to fetch than the jars' index entries, the
  // keyword statement checks the jars on the rows its words find instead of also reading the jars' index
  // (keywordSearch): the other jars' rows must be left out all the same.
  const owner = buildViewer();
  let mine: string;
  let theirs: string;
  beforeAll(async () => {
    mine = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id })).honeyJarId;
    theirs = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: randomUUID() })).honeyJarId;
    await indexDocument(mine, 'Cellar notes', [
      'The quillonbar ledger is kept in the cellar.',
      'A quillonbar is counted twice a year.',
    ]);
    await indexDocument(theirs, 'Other notes', ['Their quillonbar is kept elsewhere.']);
    await t
      .em()
      .getConnection()
      .execute(`analyze ${chunkTable(t.em())}`);
  });

  it("reads every jar's chunks from PostgreSQL's estimate, and finds the readable jars' rows only, either way", async () => {
    const connection = t.em().getConnection();
    const [{ count }] = await connection.execute<{ count: number }[]>(
      `select count(*)::int as count from ${chunkTable(t.em())}`,
    );
    const analysed = await analyseQuery(t.em(), 'quillonbar', [mine]);
    // Analysed, a table smaller than ANALYZE's sample is counted exactly.
    expect(analysed.allChunks).toBe(count);
    expect(analysed.chunks).toBe(2);
    const jarOf = async (ids: string[]) =>
      (
        await connection.execute<{ honey_jar_id: string }[]>(
          `select honey_jar_id from ${chunkTable(t.em())} where id = any(?::uuid[])`,
          [`{${ids.join(',')}}`],
        )
      ).map((row) => row.honey_jar_id);
    // A small share of every chunk (the jars' index is there to be used), then all of it.
    for (const [allChunks, onRows] of [
      [analysed.allChunks, false],
      [analysed.chunks, true],
    ] as const) {
      expect(jarsCheckedOnRows({ chunks: analysed.chunks, allChunks }, analysed.chunks)).toBe(onRows);
      const ids = await keywordSearch(t.em(), { ...analysed, allChunks }, [mine], 10);
      expect(ids).toHaveLength(2);
      expect(await jarOf(ids)).toEqual([mine, mine]);
    }
    const hits = await find(owner, { query: 'quillonbar', mode: 'keyword' });
    expect(hits.map((hit) => hit.honeyJarId)).toEqual([mine, mine]);
  });

  it("weighs the other jars' rows the words would find against the jars' index entries", () => {
    const onRows = (chunks: number, allChunks: number, matches: number) =>
      jarsCheckedOnRows({ chunks, allChunks }, matches);
    // Every chunk readable: nothing for the index to leave out.
    expect(onRows(100_000, 100_000, 5_000)).toBe(true);
    // Half of 200k chunks, a query matching 1,500 of them: about 1,500 other rows against 100k entries.
    expect(onRows(100_000, 200_000, 1_500)).toBe(true);
    // Half of 20k, matching 2,000: as many other rows against 10k entries.
    expect(onRows(10_000, 20_000, 2_000)).toBe(false);
    // A tenth of 100k: nine other rows for each readable one.
    expect(onRows(10_000, 100_000, 300)).toBe(false);
    // No estimate of every jar's chunks yet, or no readable chunk.
    expect(onRows(10_000, 0, 10)).toBe(false);
    expect(onRows(0, 10_000, 0)).toBe(false);
    // An estimate older than the readable jars' own count leaves no other rows.
    expect(onRows(12_000, 10_000, 500)).toBe(true);
  });
});

describe('names in a query typed in lower case', () => {
  let owner: Viewer;
  let jarId: string;
  beforeAll(async () => {
    owner = buildViewer();
    jarId = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id })).honeyJarId;
    await indexDocument(jarId, 'Partners', [
      'Our partner Tonofa receives its licence fee every quarter.',
      'Payments to Tonofa go out on Fridays.',
      'Refunds are issued within ten days. Late refunds are escalated.',
      'Ledgers are closed at the end of each month.',
    ]);
  });
  const rewritten = async (query: string, jars = [jarId]) =>
    vectorQueryText(t.em(), query, await analyseQuery(t.em(), query, jars));

  it('keeps the words a text writes only with a capital, and those it writes so within a sentence', () => {
    expect(
      writtenCase(
        'Our partner Tonofa is paid. Refunds are late: late refunds wait.\nLedgers close. Payments to Émile go out.',
      ),
    ).toEqual({
      // "Refunds" opens a sentence and is written in lower case too; a capital opening a sentence is no name.
      capitalisedWords: 'Our Tonofa Ledgers Payments Émile',
      namedWords: 'Tonofa Émile',
    });
    expect(writtenCase('')).toEqual({ capitalisedWords: '', namedWords: '' });
  });

  it('gives the vector half the names as the jars write them, and only names', async () => {
    // "Refunds" opens a sentence and is written in lower case elsewhere; "Ledgers" only ever opens one.
    expect(await rewritten('when does tonofa get refunds')).toBe('when does Tonofa get refunds');
    expect(await rewritten('ledgers closed each month')).toBeNull();
    // A slip in the name: corrected and capitalised alike.
    expect(await rewritten('when is tnofa paid')).toBe('when is Tonofa paid');
    // A query with a capital is taken as cased by its writer; a jar not asked lends no names.
    expect(await rewritten('When does tonofa get refunds')).toBeNull();
    expect(await rewritten('when does tonofa get refunds', [randomUUID()])).toBeNull();
  });

  it('reads whether a word is a name in the readable jars, and in no other', async () => {
    const [few, many, unread] = [randomUUID(), randomUUID(), randomUUID()];
    await indexDocument(few, 'Visits', ['Brivant called once.']);
    await indexDocument(many, 'Partners', [
      'Brivant ships on Mondays.',
      'Every month our partner Brivant is paid for the crates it ships.',
    ]);
    // In the jar no one asked, the word is in lower case everywhere: were it read, it would not be a name.
    await indexDocument(unread, 'Notes', [
      'a brivant is a kind of crate.',
      'the brivant was late.',
      'brivant',
    ]);
    const analysed = await analyseQuery(t.em(), 'who is brivant', [few, many]);
    // No passage is read for a word typed right: its holders are gathered only for a slip's correction.
    expect(analysed.holders.size).toBe(0);
    expect(await vectorQueryText(t.em(), 'who is brivant', analysed)).toBe('who is Brivant');
    // A slip's correction is read where the word it was taken for is.
    const slipped = await analyseQuery(t.em(), 'who is brivnat', [few, many]);
    expect([...slipped.corrections]).toEqual([['brivnat', 'brivant']]);
    expect(slipped.holders.get('brivant')).toEqual([many, few]);
    expect(await vectorQueryText(t.em(), 'who is brivnat', slipped)).toBe('who is Brivant');
    expect(await rewritten('who is brivant', [unread])).toBeNull();
  });

  it('embeds the query once, as searched', async () => {
    // The vector half waits for the analysis: a rewritten query is not embedded as typed as well.
    const texts: string[] = [];
    const embedders = async () => ({
      embed: (batch: readonly string[]) => (texts.push(...batch), s.embedder.embed(batch)),
    });
    for (const query of ['when does tonofa get paid', 'When does Tonofa get paid', 'when is tnofa paid']) {
      const [hit] = await search({ em: t.em(), ...s, embedders }, owner, { query, honeyJarIds: [jarId] });
      expect(hit.text).toMatch(/Tonofa/);
    }
    expect(texts).toEqual(['when does Tonofa get paid', 'When does Tonofa get paid', 'when is Tonofa paid']);
  });

  it('takes a word for a name when nine in ten chunks whose text holds it write it only with a capital', async () => {
    const jar = randomUUID();
    const texts = (word: string, capitalised: number, lower: number) => [
      ...Array.from({ length: capitalised }, (_, i) => `Crates went to ${word} on day ${i}.`),
      ...Array.from({ length: lower }, (_, i) => `a ${word.toLowerCase()} is a crate, ${i}.`),
    ];
    await indexDocument(jar, 'Deliveries', [...texts('Zentra', 9, 1), ...texts('Qorvana', 8, 2)]);
    expect(await rewritten('who is zentra', [jar])).toBe('who is Zentra');
    expect(await rewritten('who is qorvana', [jar])).toBeNull();
    // A title writes every word with a capital: it says nothing of names ("Deliveries" is no name).
    expect(await rewritten('deliveries of crates', [jar])).toBeNull();
  });

  it('reads the case of chunks stored without it once, and then knows their names', async () => {
    const jar = randomUUID();
    await indexDocument(jar, 'Partners', [
      'Payments to Velmora go out on Fridays.',
      'We ship Velmora crates.',
    ]);
    const schema = t.em().config.get('schema');
    // As chunks stored before the case was kept: the columns null, and chunk_lexeme counting no capitals.
    await t
      .em()
      .getConnection()
      .execute(
        `update "${schema}"."chunk" set capitalised_words = null, named_words = null where honey_jar_id = ?`,
        [jar],
      );
    expect(await rewritten('who is velmora', [jar])).toBeNull();
    expect(await fillWrittenCase(() => t.em().fork(), 1)).toBe(2);
    expect(await rewritten('who is velmora', [jar])).toBe('who is Velmora');
    expect(await fillWrittenCase(() => t.em().fork())).toBe(0);
  });

  it("reads a word's passages in the given jars only, through whichever index names fewer rows", async () => {
    const [asked, other] = [randomUUID(), randomUUID()];
    await indexDocument(asked, 'Ledger', [
      'Paid Quarlex for crates.',
      'Quarlex ships on Mondays.',
      'A refund from Quarlex arrived.',
      'The Zorbit contract ends soon.',
      'Invoices are due monthly.',
      'Crates are stacked by size.',
    ]);
    await indexDocument(other, 'Elsewhere', [
      'a quarlex is a crate.',
      'the quarlex was late.',
      'one quarlex more.',
      'quarlex again.',
      'a zorbit.',
    ]);
    const schema = t.em().config.get('schema');
    const passages = async (lexeme: string, wanted: number) => {
      const [row] = await t
        .em()
        .getConnection()
        .execute<{ passages: string[] }[]>(
          `select "${schema}"."passages_holding"(?::tsquery, ?, ?::uuid[], ?, 'StartSel=<, StopSel=>', false) as passages`,
          [`'${lexeme}'`, lexeme, `{${asked}}`, wanted],
        );
      return row.passages;
    };
    // "quarlex": in 3 of the asked jar's 6 chunks and 4 others; read through the jar's chunks (expected 6 rows)
    // rather than all 7 holding the word.
    const quarlex = await passages('quarlex', 3);
    expect(quarlex).toHaveLength(3);
    for (const passage of quarlex) expect(passage).toMatch(/<Quarlex>/);
    expect(await passages('quarlex', 2)).toHaveLength(2);
    // "zorbit": in 1 of the jar's 6 chunks and 1 other; read through the 2 chunks holding it.
    expect(await passages('zorbit', 3)).toEqual(['The <Zorbit> contract ends soon.']);
    expect(await passages('nowhere', 3)).toEqual([]);
  });

  it('searches vectors for a lower-case question as for the same question with its name capitalised', async () => {
    const [lower, cased] = await s.embedder.embed([
      'when does tonofa get the fee',
      'when does Tonofa get the fee',
    ]);
    expect(Array.from(lower)).not.toEqual(Array.from(cased)); // the capital makes a difference to the embedder
    const [typed] = await find(owner, { query: 'when does tonofa get the fee', mode: 'vector' });
    const [written] = await find(owner, { query: 'when does Tonofa get the fee', mode: 'vector' });
    expect(typed.chunkId).toBe(written.chunkId);
    expect(typed.similarity).toBeCloseTo(written.similarity!, 6);
  });
});

describe('term statistics', () => {
  type Counts = { lexeme: string; chunks: number; written: number; capitalised: number; named: number };
  /** chunk_lexeme of a jar, and the same counts taken from its chunk rows now. */
  const statistics = async (honeyJarId: string) => {
    const schema = t.em().config.get('schema');
    const kept = await t
      .em()
      .getConnection()
      .execute<Counts[]>(
        `select lexeme, chunks, written, capitalised, named from "${schema}"."chunk_lexeme"
         where honey_jar_id = ? order by lexeme`,
        [honeyJarId],
      );
    const counted = await t
      .em()
      .getConnection()
      .execute<Counts[]>(
        `select l.lexeme, count(*)::int as chunks, (count(*) filter (where 'C' = any(l.weights)))::int as written,
           (count(*) filter (where l.lexeme = any(tsvector_to_array(to_tsvector('english', c.capitalised_words)))))::int
             as capitalised,
           (count(*) filter (where l.lexeme = any(tsvector_to_array(to_tsvector('english', c.named_words)))))::int
             as named
         from "${schema}"."chunk" c, unnest(c.search_vector) l
         where c.honey_jar_id = ? group by 1
         union all
         select '', count(*)::int, count(*)::int, 0, 0 from "${schema}"."chunk" where honey_jar_id = ?
         having count(*) > 0
         order by 1`,
        [honeyJarId, honeyJarId],
      );
    return { kept, counted };
  };

  /** The jars' vocabulary, and the lexemes chunk_lexeme holds now (of all jars). */
  const vocabulary = async () => {
    const schema = t.em().config.get('schema');
    const lexemes = (sql: string) =>
      t
        .em()
        .getConnection()
        .execute<{ lexeme: string }[]>(sql)
        .then((rows) => rows.map((row) => row.lexeme));
    return {
      kept: await lexemes(`select lexeme from "${schema}"."lexeme_vocabulary" order by lexeme`),
      counted: await lexemes(
        `select distinct lexeme from "${schema}"."chunk_lexeme" where lexeme <> '' order by lexeme`,
      ),
    };
  };

  /** Each word of a jar (chunk_lexeme) and whether its example is a chunk of the jar holding it (null: none). */
  const examples = (honeyJarId: string) => {
    const schema = t.em().config.get('schema');
    return t
      .em()
      .getConnection()
      .execute<{ lexeme: string; holds: boolean | null }[]>(
        `select s.lexeme, c.search_vector @@ quote_literal(s.lexeme)::tsquery and c.honey_jar_id = s.honey_jar_id
           as holds
         from "${schema}"."chunk_lexeme" s left join "${schema}"."chunk" c on c.id = s.example
         where s.honey_jar_id = ? and s.lexeme <> '' order by s.lexeme`,
        [honeyJarId],
      );
  };

  it("finds slips through trigrams of the vocabulary, not of every jar's words, with short GIN pending lists", async () => {
    const schema = t.em().config.get('schema');
    const indexes = await t
      .em()
      .getConnection()
      .execute<{ name: string; definition: string; options: string[] | null }[]>(
        `select c.relname as name, pg_get_indexdef(c.oid) as definition, c.reloptions as options
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ? and c.relam = (select oid from pg_am where amname = 'gin')
         order by c.relname`,
        [schema],
      );
    expect(indexes.map((index) => index.name)).toEqual([
      'chunk_search_vector_index',
      'lexeme_vocabulary_trigram_index',
    ]);
    expect(indexes[1].definition).toMatch(/ON \S*lexeme_vocabulary USING gin \(lexeme \S*gin_trgm_ops\)/);
    // Which the lookup of similar words is planned through however few words the vocabulary holds.
    const [similar] = await t
      .em()
      .getConnection()
      .execute<{ config: string[] }[]>(
        `select p.proconfig as config from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = ? and p.proname = 'similar_lexemes'`,
        [schema],
      );
    expect(similar.config).toContain('enable_seqscan=off');
    for (const index of indexes) expect(index.options).toEqual(['gin_pending_list_limit=256']);
  });

  it("keeps each jar's count of chunks per word exact through indexing, replacing and removing documents", async () => {
    const honeyJarId = randomUUID();
    const other = randomUUID();
    const a = await indexDocument(honeyJarId, 'Queens', [
      'The queen lays eggs.',
      'Drones mate with the queen by the quorvex.',
    ]);
    await indexDocument(honeyJarId, 'Swarms', ['A swarm follows the old queen.']);
    await indexDocument(other, 'Queens elsewhere', ['Another queen, another jar.']);
    let { kept, counted } = await statistics(honeyJarId);
    expect(kept).toEqual(counted);
    const words = await vocabulary();
    expect(words.kept).toEqual(words.counted);
    expect(words.kept).toEqual(expect.arrayContaining(['quorvex', 'queen', 'swarm']));
    // Each word has an example: a chunk of the jar holding it.
    expect((await examples(honeyJarId)).map((row) => row.holds)).toEqual(kept.slice(1).map(() => true));
    // The empty lexeme counts the jar's chunks.
    expect(kept[0]).toEqual({ lexeme: '', chunks: 3, written: 3, capitalised: 0, named: 0 });
    // Title words count once per chunk of the document; "queen" is in all three chunks of this jar.
    expect(kept.find((row) => row.lexeme === 'queen')?.chunks).toBe(3);
    expect((await statistics(other)).kept.find((row) => row.lexeme === 'queen')?.chunks).toBe(1);

    await s.chunkIndex.replaceDocumentChunks(
      { id: a, honeyJarId, title: 'Queens', fileType: 'text', createdAt: new Date(), version: 2 },
      [chunk(0, 'Workers build comb.')],
      await s.embedder.embed(['Workers build comb.']),
    );
    ({ kept, counted } = await statistics(honeyJarId));
    expect(kept).toEqual(counted);
    expect(kept.find((row) => row.lexeme === 'drone')).toBeUndefined();
    // Only the replaced chunks held "quorvex": the vocabulary lets it go.
    const replaced = await vocabulary();
    expect(replaced.kept).toEqual(replaced.counted);
    expect(replaced.kept).not.toContain('quorvex');

    // Of the chunks holding a word, those whose text holds it, writes it only with a capital, and names it.
    await indexDocument(honeyJarId, 'Tonofa contract', [
      'Our partner Tonofa is paid monthly.',
      'Tonofa ships crates.',
      'The fee goes out on Fridays from brellwick.',
      'the word tonofa in lower case.',
    ]);
    expect((await vocabulary()).kept).toContain('brellwick');
    ({ kept, counted } = await statistics(honeyJarId));
    expect(kept).toEqual(counted);
    expect(kept.find((row) => row.lexeme === 'tonofa')).toEqual({
      lexeme: 'tonofa',
      chunks: 4,
      written: 3,
      capitalised: 2,
      named: 1,
    });

    // A word's example is a chunk of the jar holding it, or a removed one (null) until another is written with it.
    expect((await examples(honeyJarId)).filter((row) => row.holds === false)).toEqual([]);

    await s.chunkIndex.removeJar(honeyJarId);
    expect(await statistics(honeyJarId)).toEqual({ kept: [], counted: [] });
    expect((await statistics(other)).kept.find((row) => row.lexeme === 'queen')?.chunks).toBe(1);
    const left = await vocabulary();
    expect(left.kept).toEqual(left.counted);
    expect(left.kept).toContain('queen');
    expect(left.kept).not.toContain('brellwick');
  });

  it('keeps the vocabulary exact while documents with the same new words are written and removed at once', async () => {
    // Words no other test writes, each document writing them in its own order, in more than one batch of 500.
    const words = Array.from({ length: 30 }, (_, i) => `vocabtest${String.fromCharCode(97 + (i % 26))}${i}`);
    const texts = (shift: number) =>
      Array.from({ length: 700 }, (_, i) => `${words[(i * 7 + shift) % words.length]} stands in row ${i}.`);
    const jars = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const first = await Promise.all(
      jars.slice(0, 3).map((jar, i) => indexDocument(jar, 'Rows', texts(i * 11))),
    );
    let now = await vocabulary();
    expect(now.kept).toEqual(now.counted);
    expect(now.kept).toEqual(expect.arrayContaining(words));
    // Writing and removing them in several jars at once: no transaction waits on another for good, and no word is
    // dropped while a chunk still holds it.
    await Promise.all([
      s.chunkIndex.removeJar(jars[0]),
      indexDocument(jars[3], 'Rows again', texts(5)),
      s.chunkIndex.removeDocument(first[1], jars[1]),
      indexDocument(jars[2], 'More rows', texts(3)),
      s.chunkIndex.removeDocument(first[2], jars[2]),
    ]);
    now = await vocabulary();
    expect(now.kept).toEqual(now.counted);
    for (const jar of jars) await s.chunkIndex.removeJar(jar);
    now = await vocabulary();
    expect(now.kept).toEqual(now.counted);
    expect(now.kept.filter((word) => word.startsWith('vocabtest'))).toEqual([]);
  });
});

describe('HNSW search breadth (knowledge.search.efSearch)', () => {
  it('is set on new collections, and recorded on existing ones when config changes', async () => {
    const chroma = createChromaClient(process.env.CHROMA_URL!);
    const honeyJarId = randomUUID();
    const model = { provider: 'hashing', model: s.embedder.model, dimension: s.embedder.dimension };
    const efSearchOf = async () =>
      (
        await chroma.getCollection({
          name: collectionName(honeyJarId, model),
          embeddingFunction: null,
        } as never)
      ).configuration?.hnsw?.ef_search;
    const vector = (await s.embedder.embed(['Drones leave the hive in autumn.']))[0];
    const record = { id: randomUUID(), vector, metadata: { honey_jar_id: honeyJarId } };
    await new JarVectors(process.env.CHROMA_URL!, { efSearch: 150 }).upsert(honeyJarId, model, [record]);
    expect(await efSearchOf()).toBe(150);
    // A restart with a new setting records it on the collection, vectors kept; Chroma searches with it from the
    // next time it loads the collection's index (its own restart).
    const warnings: unknown[] = [];
    const wider = new JarVectors(process.env.CHROMA_URL!, {
      efSearch: 600,
      logger: { warn: (fields: unknown) => void warnings.push(fields) },
    });
    await wider.upsert(honeyJarId, model, [record]);
    // Read back until Chroma answers with it (a busy server has been seen to answer the old value once); a change
    // that failed says why.
    let seen = await efSearchOf();
    for (let i = 0; i < 50 && seen !== 600; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await efSearchOf();
    }
    expect({ seen, warnings }).toEqual({ seen: 600, warnings: [] });
    await wider.drop(honeyJarId, model);
  });

  it('records the setting after Chroma answers "database is locked" a few times, and warns once it never takes it', async () => {
    const chroma = createChromaClient(process.env.CHROMA_URL!);
    const honeyJarId = randomUUID();
    const model = { provider: 'hashing', model: s.embedder.model, dimension: s.embedder.dimension };
    const collection = () =>
      chroma.getCollection({ name: collectionName(honeyJarId, model), embeddingFunction: null } as never);
    const vector = (await s.embedder.embed(['Workers fan the brood comb.']))[0];
    const record = { id: randomUUID(), vector, metadata: { honey_jar_id: honeyJarId } };
    await new JarVectors(process.env.CHROMA_URL!, { efSearch: 150 }).upsert(honeyJarId, model, [record]);
    // Chroma's SQLite store, busy with another write, refuses the change: as the platform's Chroma answered once.
    const prototype = Object.getPrototypeOf(await collection()) as {
      modify: (...args: unknown[]) => unknown;
    };
    const modify = prototype.modify;
    let refusals = 2;
    prototype.modify = function (this: unknown, ...args: unknown[]) {
      if (refusals-- > 0)
        return Promise.reject(
          new Error('Database error: error returned from database: (code: 5) database is locked'),
        );
      return modify.apply(this, args);
    };
    const warnings: unknown[] = [];
    const logger = { warn: (fields: unknown) => void warnings.push(fields) };
    try {
      await new JarVectors(process.env.CHROMA_URL!, { efSearch: 300, logger }).upsert(honeyJarId, model, [
        record,
      ]);
      expect(refusals).toBeLessThan(0); // refused twice, then taken
      expect(warnings).toEqual([]);
      expect((await collection()).configuration?.hnsw?.ef_search).toBe(300);
      // Refused every time: the vectors are still written, and the failure is said once per collection (the
      // jar's, and the shared one its model's small jars use).
      refusals = Infinity;
      await new JarVectors(process.env.CHROMA_URL!, { efSearch: 500, logger }).upsert(honeyJarId, model, [
        record,
      ]);
      const named = (warnings as { collection: string; err: Error }[]).map((w) => w.collection);
      expect(named).toContain(collectionName(honeyJarId, model));
      expect(new Set(named).size).toBe(named.length);
      for (const warning of warnings as { err: Error }[])
        expect(warning.err.message).toContain('database is locked');
      expect((await collection()).configuration?.hnsw?.ef_search).toBe(300);
    } finally {
      prototype.modify = modify;
    }
    await new JarVectors(process.env.CHROMA_URL!).drop(honeyJarId, model);
  });

  it("weighs the vector list 0.1 with the hashing embedder's vectors, 1 with a model's, unless config says", () => {
    expect(searchSettingsFrom({}).vectorWeight).toBe(0.1);
    expect(searchSettingsFrom(configSchema.parse({})).vectorWeight).toBe(0.1);
    const withModel = configSchema.parse({
      knowledge: { embeddings: { provider: 'ollama', model: 'nomic' } },
    });
    expect(searchSettingsFrom(withModel).vectorWeight).toBe(1);
    const set = configSchema.parse({ knowledge: { search: { vectorWeight: 0.5 } } });
    expect(searchSettingsFrom(set).vectorWeight).toBe(0.5);
    expect(searchSettingsFrom({ knowledge: { search: { vectorWeight: 0 } } }).vectorWeight).toBe(0);
  });

  it('defaults to 400, and the config schema refuses what HNSW cannot use', async () => {
    expect(searchSettingsFrom({}).efSearch).toBe(400);
    const parsed = configSchema.safeParse({ knowledge: { search: { efSearch: 5 } } });
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['knowledge.search.efSearch']);
    expect(configSchema.parse({}).knowledge.search.efSearch).toBe(400);
  });
});

describe('when Chroma cannot be reached', () => {
  it('answers from keywords alone instead of failing', async () => {
    const owner = buildViewer();
    const jar = await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id });
    await indexDocument(jar.honeyJarId, 'Swarms', [
      'A swarm leaves the hive with the old queen in late spring.',
    ]);
    const unreachable = new JarVectors('http://127.0.0.1:9');
    const warnings: unknown[] = [];
    const hits = await search(
      {
        em: t.em(),
        ...s,
        vectors: unreachable,
        logger: { warn: (...args: unknown[]) => warnings.push(args) },
      },
      owner,
      { query: 'swarm old queen' },
    );
    expect(hits.map((h) => h.text)).toEqual(['A swarm leaves the hive with the old queen in late spring.']);
    expect(warnings).toHaveLength(1);
  });
});

describe('hostile and bad input', () => {
  const viewer = buildViewer();
  it.each([
    ['an empty query', { query: '   ' }, 'query'],
    ['a NUL byte', { query: 'bees\0' }, 'query'],
    ['a query too long', { query: 'x'.repeat(1001) }, 'query'],
    ['first 0', { query: 'bees', first: 0 }, 'first'],
    ['first too large', { query: 'bees', first: 51 }, 'first'],
    ['a malformed jar id', { query: 'bees', honeyJarIds: ["' or 1=1 --"] }, 'honeyJarIds'],
    [
      'more than 100 jars (each one checked against what the viewer may read)',
      { query: 'bees', honeyJarIds: Array.from({ length: 101 }, () => randomUUID()) },
      'at most 100 honey jars',
    ],
  ])('refuses %s as BAD_USER_INPUT naming the argument', async (_, request, field) => {
    const result = await t.run(viewer, SEARCH, {
      q: request.query,
      first: (request as { first?: number }).first,
      jars: (request as { honeyJarIds?: string[] }).honeyJarIds,
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(result.errors)).toContain(field);
  });

  it('counts a jar named more than once as one jar, as Bee does', async () => {
    const jar = randomUUID();
    const result = await t.run(viewer, SEARCH, { q: 'bees', jars: Array.from({ length: 101 }, () => jar) });
    expect(result).toEqual({ data: { search: [] }, errors: undefined });
  });

  it('treats query syntax as words: no tsquery error, no injection', async () => {
    for (const q of ["bees & | ! ( ) :* 'x' \\", 'SELECT * FROM chunk; --', '💥🐝', '!!!']) {
      const result = await t.run(viewer, SEARCH, { q });
      expect(result.errors).toBeUndefined();
    }
  });

  it('answers an unknown jar id with no hits, exactly as a jar the viewer may not read', async () => {
    const hidden = await buildJar(t.em(), { type: 'PRIVATE' });
    await indexDocument(hidden.honeyJarId, 'Secret', ['The hidden recipe uses lavender honey.']);
    for (const jars of [[randomUUID()], [hidden.honeyJarId]]) {
      const result = await t.run(viewer, SEARCH, { q: 'lavender honey recipe', jars });
      expect(result).toEqual({ data: { search: [] }, errors: undefined });
    }
  });
});

describe('permission matrix: every jar type x relation', () => {
  it.each(JarTypes)('%s jar', async (type) => {
    const jar = await buildJar(t.em(), { type });
    const word = `zorblax${type.toLowerCase()}${randomUUID().slice(0, 6)}`;
    await indexDocument(jar.honeyJarId, 'Matrix', [`The ${word} passage of a ${type} jar.`]);
    for (const relation of RELATIONS) {
      const viewer = await viewerFor(t.em(), jar, relation);
      const allowed = can(viewer, 'read', await jarFacts(t.em(), viewer, jar.honeyJarId));
      const expected = relation === 'anonymous' ? false : allowed;
      for (const jars of [undefined, [jar.honeyJarId]]) {
        const result = await t.run(viewer, SEARCH, { q: word, jars });
        if (relation === 'anonymous') {
          // Told to sign in, as for every other read, rather than shown an empty list.
          expect(result.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
          continue;
        }
        expect(result.errors).toBeUndefined();
        const ids: string[] = result.data.search.map((h: any) => h.honeyJar.id);
        const label = [relation, jars ? 'named' : 'all'];
        expect([...label, ids.includes(jar.honeyJarId)]).toEqual([...label, expected]);
        // Whatever else the vector list brings up comes from jars this viewer may read.
        for (const id of new Set(ids))
          expect([...label, await canRead(t.em(), viewer, id)]).toEqual([...label, true]);
      }
      // Vector and keyword lists each respect it on their own.
      for (const mode of ['keyword', 'vector'] as const) {
        const hits = await find(viewer, { query: word, honeyJarIds: [jar.honeyJarId], mode });
        expect([relation, mode, hits.length > 0]).toEqual([relation, mode, expected]);
        expect(hits.every((h) => h.honeyJarId === jar.honeyJarId)).toBe(true);
      }
    }
  });

  it('expected outcomes: PUBLIC to all signed in, PRIVATE owner/admin, TEAM/RESTRICTED add members', async () => {
    const table: Record<string, string[]> = {};
    for (const type of JarTypes) {
      const jar = await buildJar(t.em(), { type });
      table[type] = [];
      for (const relation of RELATIONS) {
        const viewer = await viewerFor(t.em(), jar, relation);
        if (can(viewer, 'read', await jarFacts(t.em(), viewer, jar.honeyJarId))) table[type].push(relation);
      }
    }
    expect(table).toEqual({
      PUBLIC: ['owner', 'member', 'other member user', 'viewer-role user', 'admin'],
      PRIVATE: ['owner', 'admin'],
      TEAM: ['owner', 'member', 'admin'],
      RESTRICTED: ['owner', 'member', 'admin'],
    });
  });
});

describe('access changes from honey-jars events', () => {
  let stop: () => Promise<void>;
  beforeAll(async () => {
    stop = await followJarAccess({
      bus: t.runtime.bus,
      newEntityManager: t.em,
      logger: t.runtime.logger,
      onJarDeleted: (id) => s.chunkIndex.removeJar(id),
    });
  });
  afterAll(async () => {
    await stop();
  });

  const publish = (topic: (typeof Topics.honeyJar)[keyof typeof Topics.honeyJar], payload: object) =>
    t.runtime.bus.publish(topic, createEvent(topic, payload, { source: 'honey-jars' }));
  const state = (ownerId: string, type: string) => ({
    ownerId,
    type,
    status: 'ACTIVE',
    name: 'Live jar',
    updatedAt: new Date().toISOString(),
  });
  /** Passes once a search started within 1 s of the change sees it (the search's own time is not the change's). */
  async function within1s(done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 1000;
    for (;;) {
      if (Date.now() > deadline) throw new Error('the access change did not reach search within 1 s');
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('applies creation, membership removal, type change and deletion to search within a second', async () => {
    const owner = buildViewer();
    const member = buildViewer();
    const other = buildViewer();
    const honeyJarId = randomUUID();
    const hits = (v: Viewer) =>
      find(v, { query: 'propolis tincture' }).then((h) => h.filter((x) => x.honeyJarId === honeyJarId));

    await publish(Topics.honeyJar.created, { honeyJarId, jar: state(owner.id, 'TEAM') });
    await publish(Topics.honeyJar.memberAdded, {
      honeyJarId,
      userId: member.id,
      jar: state(owner.id, 'TEAM'),
    });
    await indexDocument(honeyJarId, 'Remedies', ['A propolis tincture is made with alcohol.']);
    await within1s(async () => (await hits(member)).length > 0);
    expect(await hits(other)).toEqual([]);

    await publish(Topics.honeyJar.memberRemoved, {
      honeyJarId,
      userId: member.id,
      jar: state(owner.id, 'TEAM'),
    });
    await within1s(async () => (await hits(member)).length === 0);

    await publish(Topics.honeyJar.updated, { honeyJarId, jar: state(owner.id, 'PUBLIC') });
    await within1s(async () => (await hits(other)).length > 0);

    await publish(Topics.honeyJar.deleted, { honeyJarId });
    await within1s(
      async () => (await hits(owner)).length === 0 && (await hits(buildViewer('ADMIN'))).length === 0,
    );
    // The jar's chunks and its Chroma collection go with it.
    await within1s(async () => (await s.vectors.servingIndexes(t.em(), [honeyJarId])).length === 0);
  });
});
