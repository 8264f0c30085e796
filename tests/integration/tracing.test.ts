// One trace across the platform, in both topologies: a cross-subgraph query sent with a client's traceparent
// yields the gateway's request span (naming the operation), planning, each subgraph's span and the database queries
// under those, and none of Apollo's other per-request spans. Distributed, a subgraph's span (in its own service)
// hangs under the gateway's fetch span naming it; embedded, the fetch is the subgraph's work in the same process,
// so the two are one span named as the subgraph's; a failed operation marks the request span with its error
// code; a mutation's bus event carries the trace on, a graphql-ws subscription continues the trace named in
// connection_init, and no span holds what people typed or a credential.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EventTypes, type EventEnvelope } from '@sting/kit';
import { startTracing, type Tracing } from '@sting/kit/tracing/index.ts';
import {
  ADMIN,
  graphql,
  postGraphQL,
  signIn,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from './platform.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
beforeAll(async () => {
  tracing = await startTracing(
    { enabled: true, otlpUrl: '', serviceName: 'sting-test', sampleRatio: 1 },
    { exporter },
  );
});
afterAll(async () => {
  await tracing?.stop();
});

/** A client's own trace: the spans of the request it names are all found by this id. */
function clientTrace() {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

const spansOf = (traceId: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe.each(['embedded', 'distributed'] as const)('tracing (%s)', (topology) => {
  let it_: IntegrationPlatform;
  let token: string;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology);
    token = await signIn(it_.url, ADMIN.email, ADMIN.password);
    const created = await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Traced" }) { id } }',
      undefined,
      token,
    );
    expect(created.errors).toBeUndefined();
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('follows a cross-subgraph query through the gateway, two subgraphs and their database queries', async () => {
    const { traceId, traceparent } = clientTrace();
    const { status, body } = await postGraphQL(
      it_.url,
      '{ honeyJars { nodes { name owner { displayName } } } }',
      { authorization: `Bearer ${token}`, traceparent },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    await waitFor(() => spansOf(traceId).some((s) => s.name === 'HTTP POST'));
    const spans = spansOf(traceId);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const request = spans.find((s) => s.name === 'HTTP POST')!;
    expect(request.attributes['url.path']).toBe('/graphql');
    expect(request.attributes['graphql.operation.type']).toBe('query');
    expect(request.status.code).not.toBe(2);
    expect(spans.some((s) => s.name === 'gateway.plan')).toBe(true);
    // Apollo's request, validation, execution and post-processing spans would repeat the request span.
    const names = spans.map((s) => s.name);
    for (const name of ['gateway.request', 'gateway.validate', 'gateway.execute', 'gateway.postprocessing'])
      expect(names).not.toContain(name);
    for (const fetch of spans.filter((s) => s.name === 'gateway.fetch'))
      expect(parentOf(fetch)).toBe(request.spanContext().spanId);

    // Each subgraph's span hangs under a gateway fetch span naming that subgraph (distributed), or is that fetch
    // span, directly under the request (embedded).
    for (const subgraph of ['honey-jars', 'identity']) {
      const served = spans.filter((s) => s.name === `subgraph ${subgraph}`);
      expect(served.length).toBeGreaterThan(0);
      for (const span of served) expect(span.attributes['sting.subgraph']).toBe(subgraph);
      const fetches =
        topology === 'distributed' ? served.map((s) => byId.get(parentOf(s)!)) : (served as typeof spans);
      expect(fetches.some((f) => f?.attributes.service === subgraph)).toBe(true);
      if (topology === 'distributed') expect(fetches.every((f) => f?.name === 'gateway.fetch')).toBe(true);
      else {
        expect(names).not.toContain('gateway.fetch');
        for (const span of served) expect(parentOf(span)).toBe(request.spanContext().spanId);
      }
      // ... and the database queries its resolvers made hang under it.
      const queries = spans.filter(
        (s) => s.name.startsWith('pg ') && served.some((p) => p.spanContext().spanId === parentOf(s)),
      );
      if (subgraph === 'honey-jars') expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) expect(query.attributes['db.system.name']).toBe('postgresql');
    }
    // Every span of the request descends from the request span, itself the child of the client's span.
    expect(parentOf(request)).toBe(traceparent.split('-')[2]);
    for (const span of spans) {
      let at: ReadableSpan | undefined = span;
      while (at && at !== request) at = byId.get(parentOf(at)!);
      expect(at).toBe(request);
    }
  });

  it("marks the request span with a failed operation's error code and names the operation", async () => {
    const { traceId, traceparent } = clientTrace();
    const { body } = await postGraphQL(it_.url, 'query Broken { honeyJars { noSuchField } }', {
      authorization: `Bearer ${token}`,
      traceparent,
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await waitFor(() => spansOf(traceId).some((s) => s.name === 'HTTP POST'));
    const request = spansOf(traceId).find((s) => s.name === 'HTTP POST')!;
    expect(request.status).toEqual({ code: 2, message: 'GRAPHQL_VALIDATION_FAILED' });
    expect(request.attributes['error.type']).toBe('GRAPHQL_VALIDATION_FAILED');

    const named = clientTrace();
    await postGraphQL(it_.url, 'query Jars { honeyJars { nodes { name } } }', {
      authorization: `Bearer ${token}`,
      traceparent: named.traceparent,
    });
    await waitFor(() => spansOf(named.traceId).some((s) => s.name === 'HTTP POST'));
    const ok = spansOf(named.traceId).find((s) => s.name === 'HTTP POST')!;
    expect(ok.attributes).toMatchObject({
      'graphql.operation.name': 'Jars',
      'graphql.operation.type': 'query',
    });
    expect(ok.status.code).not.toBe(2);
  });

  it('carries the trace on a bus event the request caused', async () => {
    const subscription = await it_.bus.subscribe<unknown>(EventTypes.honeyJarCreated);
    const { traceId, traceparent } = clientTrace();
    const { body } = await postGraphQL(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Evented" }) { id } }',
      { authorization: `Bearer ${token}`, traceparent },
    );
    expect(body.errors).toBeUndefined();
    let event: EventEnvelope<unknown> | undefined;
    for await (const next of subscription) {
      if (
        (next.payload as { name?: string }).name === 'Evented' ||
        JSON.stringify(next.payload).includes(body.data.createHoneyJar.id)
      ) {
        event = next;
        break;
      }
    }
    expect(String(event?.metadata.traceparent)).toContain(traceId);
  });

  it("continues an upload's trace in its ingestion job: embedding and Chroma spans under it", async () => {
    const jar = (
      await graphql(it_.url, '{ honeyJars { nodes { id name } } }', undefined, token)
    ).data.honeyJars.nodes.find((j: { name: string }) => j.name === 'Traced').id;
    const { traceId, traceparent } = clientTrace();
    // knowledge learns of new jars over the bus: it refuses the upload until then.
    await waitFor(async () => {
      const body = new FormData();
      body.append(
        'file',
        new Blob(['# Hive\n\nBees make honey from nectar.'], { type: 'text/markdown' }),
        'hive.md',
      );
      const response = await fetch(new URL(`/api/v1/honey-pots/${jar}/upload`, it_.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, traceparent },
        body,
      });
      return response.status === 202;
    }, 20_000);
    await waitFor(() => spansOf(traceId).some((s) => s.name === 'ingest document'), 30_000);
    const spans = spansOf(traceId);
    const job = spans.find((s) => s.name === 'ingest document')!;
    const under = (span: ReadableSpan) => {
      for (let at: ReadableSpan | undefined = span; at;) {
        if (at === job) return true;
        at = spans.find((s) => s.spanContext().spanId === parentOf(at!));
      }
      return false;
    };
    expect(spans.filter((s) => s.name === 'embed embed').some(under)).toBe(true);
    expect(spans.filter((s) => s.name.startsWith('chroma ')).some(under)).toBe(true);
  }, 60_000);

  it("follows a question to Bee's model call and knowledge's search", async () => {
    const started = await graphql(
      it_.url,
      'mutation { startConversation(title: "ask") { id } }',
      undefined,
      token,
    );
    const { traceId, traceparent } = clientTrace();
    const { body } = await postGraphQL(
      it_.url,
      'mutation ($c: ID!) { sendMessage(conversationId: $c, text: "What do bees make?") { id } }',
      { authorization: `Bearer ${token}`, traceparent },
      { c: started.data.startConversation.id },
    );
    expect(body.errors).toBeUndefined();
    await waitFor(() => spansOf(traceId).some((s) => s.name === 'event ai.analysis.complete'), 30_000);
    const names = spansOf(traceId).map((s) => s.name);
    expect(names).toContain('subgraph knowledge');
  }, 60_000);

  it('keeps what people type, and credentials, out of every span: SQL values, a staged upload token', async () => {
    const tag = randomBytes(4).toString('hex');
    const typed = {
      email: `span.${tag}@example.com`,
      password: `password ${tag} only its owner knows`,
      displayName: `Zebulon ${tag}`,
      jarName: `Jar ${tag}`,
      content: `The queen ${tag} lays the eggs.`,
      message: `my card ${tag} is 4111 1111 1111 1111`,
    };
    // Every request under one client trace, so every span they cause is found by its id.
    const { traceId, traceparent } = clientTrace();
    const ask = async (query: string, variables: Record<string, unknown>, bearer: string | null) => {
      const { body } = await postGraphQL(
        it_.url,
        query,
        bearer ? { authorization: `Bearer ${bearer}`, traceparent } : { traceparent },
        variables,
      );
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    await ask(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { email: typed.email, password: typed.password, displayName: typed.displayName } },
      token,
    );
    const { login } = await ask(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: typed.email, p: typed.password },
      null,
    );
    const person = login.token as string;
    const jar = (
      await ask(
        'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
        { n: typed.jarName },
        person,
      )
    ).createHoneyJar.id;
    // knowledge learns of the new jar over the bus: it refuses the upload until then.
    let staged: { uploadUrl: string; token: string } | undefined;
    await waitFor(async () => {
      const { body } = await postGraphQL(
        it_.url,
        'mutation ($j: ID!) { createUpload(honeyJarId: $j, filename: "queen.txt") { uploadUrl token } }',
        { authorization: `Bearer ${person}`, traceparent },
        { j: jar },
      );
      staged = body.data?.createUpload ?? undefined;
      return staged !== undefined;
    }, 20_000);
    const put = await fetch(new URL(staged!.uploadUrl, it_.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${person}`, 'content-type': 'application/octet-stream', traceparent },
      body: typed.content,
    });
    expect(put.status).toBe(202);
    const conversation = (await ask('mutation { startConversation(title: "private") { id } }', {}, person))
      .startConversation.id;
    await ask(
      'mutation ($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { id } }',
      { c: conversation, t: typed.message },
      person,
    );
    // The document's ingestion and Bee's answer run later, in the same trace.
    await waitFor(() => spansOf(traceId).some((s) => s.name === 'ingest document'), 30_000);
    await waitFor(() => spansOf(traceId).some((s) => s.name === 'event ai.analysis.complete'), 30_000);
    await tracing.flush();

    const spans = spansOf(traceId);
    // The writes were traced, statements and all ...
    const statements = spans.map((s) => String(s.attributes['db.query.text'] ?? ''));
    expect(statements.some((text) => text.startsWith('insert into "identity"'))).toBe(true);
    expect(statements.some((text) => /^insert into "knowledge"\."chunk/.test(text))).toBe(true);
    // ... and nothing anyone typed, no password, token or upload token is in any span.
    const recorded = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
    );
    for (const value of [...Object.values(typed), tag, person, staged!.token])
      expect(recorded).not.toContain(value);
    const upload = spans.find((s) => s.attributes['http.route'] === '/api/v1/uploads/:token');
    expect(upload?.attributes['url.path']).toBe('/api/v1/uploads/:token');
  }, 90_000);

  it('continues the trace named in a graphql-ws connection_init', async () => {
    const started = await graphql(
      it_.url,
      'mutation { startConversation(title: "traced") { id } }',
      undefined,
      token,
    );
    const conversationId = started.data.startConversation.id;
    const { traceId, traceparent } = clientTrace();
    const client = createClient({
      url: it_.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}`, traceparent },
      retryAttempts: 0,
    });
    const events = client.iterate({
      query: 'subscription ($c: ID!) { messageAdded(conversationId: $c) { role text } }',
      variables: { c: conversationId },
    });
    const first = events.next();
    await waitFor(() => spansOf(traceId).some((s) => s.name.startsWith('graphql-ws subscribe')));
    await graphql(
      it_.url,
      'mutation ($c: ID!) { sendMessage(conversationId: $c, text: "hi") { id } }',
      { c: conversationId },
      token,
    );
    await first;
    await events.return?.(undefined);
    await client.dispose();
    const names = spansOf(traceId).map((s) => s.name);
    expect(names).toContain('gateway.plan');
    // The subgraph serving the subscription joined the client's trace (over graphql-ws when distributed).
    expect(names).toContain('subgraph chat');
  });
});
