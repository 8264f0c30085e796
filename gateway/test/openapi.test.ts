// The OpenAPI document: generated from the route table, typed from the operations' selection sets, and in
// agreement with what the routes actually answer (checked against the real subgraphs in
// tests/integration/rest.test.ts).
import { describe, it, expect } from '@jest/globals';
import { existsSync } from 'node:fs';
import { validate, parse } from 'graphql';
import { buildOpenApiDocument, loadSupergraphApiSchema, SUPERGRAPH_FILE } from '../src/rest/openapi.ts';
import { REST_ROUTE_SPECS, restRoutes } from '../src/rest/index.ts';
import { HTTP_ROUTE_DOCS } from '../src/rest/http-route-docs.ts';
import { buildHttpRoutes, HTTP_ROUTES } from '../src/http-routes.ts';
import { pino } from 'pino';

// Typed from the committed supergraph, the contract the live gateway serves (a fixture schema of its own would have
// to follow every route the subgraphs add).
const doc = buildOpenApiDocument(loadSupergraphApiSchema()!) as any;

function resolveRef(ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<any>((node, key) => node?.[key], doc);
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and has every route with its method', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: '1.0' });
    for (const spec of REST_ROUTE_SPECS) {
      expect(doc.paths[spec.path]?.[spec.method.toLowerCase()]).toBeDefined();
    }
    const operations = Object.values(doc.paths).flatMap((item: any) => Object.values(item));
    expect(operations).toHaveLength(REST_ROUTE_SPECS.length + HTTP_ROUTE_DOCS.length);
    const ids = operations.map((op: any) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes every plain HTTP route the gateway registers, and no other', () => {
    const registered = buildHttpRoutes(HTTP_ROUTES, {
      settings: {} as never,
      federation: {} as never,
      logger: pino({ enabled: false }),
    }).map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(HTTP_ROUTE_DOCS.map((d) => `${d.method} ${d.path}`).sort()).toEqual(registered.sort());
    for (const d of HTTP_ROUTE_DOCS)
      expect(doc.paths[d.path][d.method.toLowerCase()]['x-sting-plain-route']).toBe(true);
    const upload = doc.paths['/api/v1/honey-pots/{id}/upload'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(upload.responses).sort()).toEqual([
      '200',
      '202',
      '400',
      '401',
      '403',
      '404',
      '413',
      '429',
      '500',
    ]);
    // The upload answers documents as the document list does, each saying whether the jar held it already.
    const listed =
      doc.paths['/api/v1/honey-pots/{id}/documents'].get.responses['200'].content['application/json'].schema
        .properties.data.properties.nodes.items;
    const put = doc.paths['/api/v1/uploads/{token}'].put;
    for (const answer of [
      upload.responses['200'].content['application/json'].schema.properties.data.items,
      upload.responses['202'].content['application/json'].schema.properties.data.items,
      put.responses['200'].content['application/json'].schema.properties.data,
      put.responses['202'].content['application/json'].schema.properties.data,
    ])
      expect(answer).toEqual({
        ...listed,
        properties: { ...listed.properties, already_stored: expect.objectContaining({ type: 'boolean' }) },
        required: [...listed.required, 'already_stored'],
      });
    expect(Object.keys(doc.paths['/api/bee/chat'].post.responses['200'].content).sort()).toEqual([
      'application/json',
      'text/event-stream',
    ]);
  });

  it('declares each path template parameter, and every $ref resolves', () => {
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values<any>(item)) {
        const inPath = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
        expect(inPath.sort()).toEqual(templated.sort());
      }
    }
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolveRef(ref)).toBeDefined();
  });

  it('types query parameters, request bodies and the envelope from the GraphQL schema', () => {
    const list = doc.paths['/api/v1/honey-pots'].get;
    expect(list.parameters).toEqual([
      { name: 'first', in: 'query', required: false, schema: { type: 'integer', format: 'int32' } },
      { name: 'after', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'name', in: 'query', required: false, schema: { type: 'string' } },
      {
        name: 'type',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['PUBLIC', 'PRIVATE', 'TEAM', 'RESTRICTED'] },
      },
      {
        name: 'status',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['ACTIVE', 'ARCHIVED'] },
      },
    ]);
    const create = doc.paths['/api/v1/honey-pots'].post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['name']);
    expect(body.properties.type.enum).toEqual(['PUBLIC', 'PRIVATE', 'TEAM', 'RESTRICTED', null]);
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '500']),
    );
    const envelope = create.responses['201'].content['application/json'].schema;
    expect(envelope.properties.api_version.const).toBe('1.0');
    expect(envelope.properties.data.properties.updated_at).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    const status = doc.paths['/api/beeacon/status'].get.responses['200'].content['application/json'].schema;
    const component = status.properties.data.properties.components.items;
    expect(component.properties.latency_ms.type).toEqual(['number', 'null']);
    expect(component.properties.kind.enum).toContain('VECTOR_STORE');
    expect(envelope.properties.data.properties.description.type).toEqual(['string', 'null']);
  });
});

describe('REST operations', () => {
  // The committed supergraph is the contract the live gateway serves; every REST operation must fit it.
  (existsSync(SUPERGRAPH_FILE) ? it : it.skip)('each validates against schema/supergraph.graphql', () => {
    const supergraph = loadSupergraphApiSchema()!;
    for (const route of restRoutes()) {
      const errors = validate(supergraph, parse(route.op.query)).map((e) => `${route.op.name}: ${e.message}`);
      expect(errors).toEqual([]);
    }
    expect(() => buildOpenApiDocument(supergraph)).not.toThrow();
  });

  (existsSync(SUPERGRAPH_FILE) ? it : it.skip)(
    'types the Pollen Filter statistics from the supergraph',
    () => {
      const served = buildOpenApiDocument(loadSupergraphApiSchema()!) as any;
      const route = served.paths['/api/beeacon/pollen-filter/stats'].get;
      expect(route.tags).toEqual(['Beeacon']);
      expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
      const data = route.responses['200'].content['application/json'].schema.properties.data;
      expect(Object.keys(data.properties).sort()).toEqual(
        ['bytes', 'instances', 'records', 'redactions', 'since', 'time_series', 'total_redactions'].sort(),
      );
      const minute = data.properties.time_series.items.properties;
      expect(Object.keys(minute).sort()).toEqual(['minute', 'records', 'redactions']);
      expect(data.properties.total_redactions.type).toBe('number');
      expect(data.properties.instances.type).toBe('integer');
      expect(data.properties.redactions.items.properties.count.type).toBe('number');
    },
  );
});
