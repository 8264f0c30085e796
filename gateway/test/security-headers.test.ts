// HSTS goes out only when the request really came over https: a TLS socket, or a trusted proxy's
// X-Forwarded-Proto. A direct client claiming https over plain HTTP gets none (it could pin a site to https that
// does not serve it).
import { describe, it, expect } from '@jest/globals';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HSTS, setSecurityHeaders } from '../src/pipeline/security-headers.ts';

function headersOf(trustProxy: boolean, send: Record<string, string>) {
  return new Promise<IncomingMessage['headers']>((resolve, reject) => {
    const server = createServer((req, res) => {
      setSecurityHeaders(req, res, trustProxy);
      res.end('ok');
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      httpRequest({ port, host: '127.0.0.1', headers: send }, (res) => {
        res.resume();
        res.on('end', () => server.close(() => resolve(res.headers)));
      })
        .on('error', reject)
        .end();
    });
  });
}

describe('HSTS', () => {
  it('is not sent over plain HTTP, even when a direct client claims https', async () => {
    expect((await headersOf(false, {}))['strict-transport-security']).toBeUndefined();
    const claimed = await headersOf(false, { 'x-forwarded-proto': 'https' });
    expect(claimed['strict-transport-security']).toBeUndefined();
    expect(claimed['x-content-type-options']).toBe('nosniff');
  });

  it('is sent behind a trusted proxy that says the client came over https', async () => {
    expect((await headersOf(true, { 'x-forwarded-proto': 'https' }))['strict-transport-security']).toBe(HSTS);
    expect(
      (await headersOf(true, { 'x-forwarded-proto': 'http' }))['strict-transport-security'],
    ).toBeUndefined();
  });

  // A certificate needs openssl (Debian ships it with ca-certificates).
  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  (openssl ? it : it.skip)('is sent on a TLS connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sting-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        setSecurityHeaders(req, res, false);
        res.end('ok');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const headers = await new Promise<IncomingMessage['headers']>((resolve, reject) => {
      httpsRequest({ port, host: '127.0.0.1', rejectUnauthorized: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers));
      })
        .on('error', reject)
        .end();
    });
    await new Promise((resolve) => server.close(resolve));
    expect(headers['strict-transport-security']).toBe(HSTS);
  });
});
