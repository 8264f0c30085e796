// Finding 4: every line a gateway process writes goes through the logger and its Pollen Filter. A process is driven
// through hostile input (a forged JSON log line, emails, a card number, password=… in graphql-ws messages, queries,
// REST bodies and a route that fails on its input); its stdout then holds only JSON records, all redacted.
import { describe, it, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const FIXTURE = fileURLToPath(new URL('./fixtures/logging-gateway.ts', import.meta.url));
const EMAIL = 'victim.person@example.org';
const CARD = '4111 1111 1111 1111';
const PASSWORD = 'hunter2-secret';
const FORGED = `\n{"level":"info","msg":"forged","email":"${EMAIL}","card":"${CARD}","note":"password=${PASSWORD}"}\n`;

function rawSocket(url: string, messages: string[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
    socket.on('open', () => {
      for (const message of messages) socket.send(message);
      setTimeout(() => socket.close(), 300);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

describe('a gateway process driven through hostile input', () => {
  it('writes only JSON records to stdout, with no personal data or secrets left in them', async () => {
    const child = spawn(process.execPath, [FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready record; stdout: ${stdout}`)), 20_000);
      child.stdout.on('data', () => {
        const ready = stdout.split('\n').find((line) => line.includes('"ready"'));
        if (ready) {
          clearTimeout(timer);
          resolve((JSON.parse(ready) as { url: string }).url);
        }
      });
    });
    const hostile = `password=${PASSWORD} ${EMAIL} ${CARD}${FORGED}`;
    await rawSocket(url, [
      JSON.stringify({ type: 'connection_init', payload: { token: hostile } }),
      JSON.stringify({ type: 'subscribe', id: '1', payload: { query: `{ ping(x: "${FORGED}") ` } }),
      JSON.stringify({ type: 'subscribe', id: '2', payload: { query: hostile } }),
      `not json ${hostile}`,
    ]);
    await rawSocket(url, [JSON.stringify({ type: hostile })]);
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hostile });
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${hostile} }` }),
    });
    await fetch(url.replace('/graphql', '/careless'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hostile }),
    });
    await fetch(url.replace('/graphql', '/api/v1/honey-pots'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PASSWORD}` },
      body: hostile,
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));

    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON record: ${line}`);
      }
      expect(typeof record.level).toBe('string');
      expect(record.msg).not.toBe('forged');
    }
    // The careless route's input reached the log (twice: console.error and the masked 500's cause), redacted.
    expect(stdout).toContain('careless library');
    expect(stdout).not.toContain(EMAIL);
    expect(stdout).not.toContain(CARD);
    expect(stdout).not.toContain(PASSWORD);
  }, 40_000);
});
