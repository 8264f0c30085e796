// The gateway's fetch to subgraphs (subgraph-fetcher.ts): what RemoteGraphQLDataSource reads of an answer, the
// request it sends, one keep-alive connection reused across fetches, and a subgraph that goes quiet failing the fetch.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subgraphFetcher } from '../src/subgraph-fetcher.ts';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
  port: number;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        port: req.socket.remotePort ?? 0,
      });
      if (req.url === '/quiet') return; // never answers
      const status = req.url === '/missing' ? 404 : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'max-age=30' });
      res.end(JSON.stringify({ data: { path: req.url, ünïcode: '✓'.repeat(20_000) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('subgraphFetcher', () => {
  it('POSTs the body with its headers and answers what the data source reads', async () => {
    const fetch = subgraphFetcher();
    const response = await fetch(`${base}/graphql?x=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' },
      body: '{"query":"{ ü }"}',
    });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/graphql?x=1`);
    expect(response.headers.get('Cache-Control')).toBe('max-age=30');
    expect(response.headers.get('x-absent')).toBeNull();
    // A body of many chunks, multi-byte characters across their edges.
    expect(await response.json()).toEqual({ data: { path: '/graphql?x=1', ünïcode: '✓'.repeat(20_000) } });
    expect(await response.text()).toContain('"path":"/graphql?x=1"');
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-request-id']).toBe('r-1');
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength('{"query":"{ ü }"}')));
    expect(request.body).toBe('{"query":"{ ü }"}');
  });

  it('takes headers as entries too, and reports a status that is not ok', async () => {
    const fetch = subgraphFetcher();
    const response = await fetch(`${base}/missing`, { headers: [['Authorization', 'Bearer t']], body: '{}' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(404);
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer t');
  });

  it('keeps the connection alive between fetches', async () => {
    const fetch = subgraphFetcher({ connections: 1 });
    await (await fetch(`${base}/a`, { body: '{}' })).text();
    await (await fetch(`${base}/b`, { body: '{}' })).text();
    const [a, b] = seen.slice(-2);
    expect(b.port).toBe(a.port);
  });

  it('fails a fetch the subgraph does not answer in time', async () => {
    const fetch = subgraphFetcher({ timeoutMs: 200 });
    await expect(fetch(`${base}/quiet`, { body: '{}' })).rejects.toThrow(/within 200 ms/);
  });

  it('fails a fetch nobody listens for', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(subgraphFetcher()(`http://127.0.0.1:${port}/`, { body: '{}' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
