// A stand-in model server for tests and benchmarks, following the published streaming APIs it imitates:
// OpenAI's `POST /v1/chat/completions` (server-sent `chat.completion.chunk`s, `data: [DONE]`) and Ollama's
// `POST /api/chat` (NDJSON, last line `done: true`), and the embeddings APIs: OpenAI's `POST /v1/embeddings` and
// Ollama's `POST /api/embed`. Routes live in one table tests extend with `server.route(...)`; chat replies
// follow a script tests set per request, embeddings the `embeddings` settings.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelServerRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export type ModelRoute = (request: ModelServerRequest, res: ServerResponse) => void | Promise<void>;

/** How the next chat reply behaves. Every field is optional; the defaults stream a short answer at once. */
export interface ChatScript {
  /** The reply's pieces, one delta each. Default: the first numbered passage of the prompt, quoted and cited. */
  tokens?: string[];
  /** Answer with this HTTP status and an error body instead of a stream. */
  status?: number;
  delayFirstMs?: number;
  delayBetweenMs?: number;
  /** Send the provider's mid-stream error object after this many deltas. */
  errorAfter?: number;
  /** Destroy the connection after this many deltas, without a stop. */
  dropAfter?: number;
  stopReason?: string;
}

/** How the embeddings routes answer; tests change it between requests. */
export interface EmbeddingsBehaviour {
  /** Length of each vector (deterministic in the text, deliberately not unit length). */
  dimension: number;
  /** Answer with this HTTP status and the API's error body instead. */
  status?: number;
  /** Wait this long before answering (timeouts, cancellation). */
  delayMs?: number;
}

/** A stand-in vector: character trigrams hashed into `dimension` buckets, so equal texts give equal vectors. */
export function standInVector(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  const padded = `  ${text.toLowerCase()}  `;
  for (let i = 0; i + 3 <= padded.length; i++) {
    let h = 2166136261;
    for (let j = i; j < i + 3; j++) h = Math.imul(h ^ padded.charCodeAt(j), 16777619);
    vector[(h >>> 0) % dimension] += 1;
  }
  return vector;
}

export interface StandInModelServer {
  /** e.g. http://127.0.0.1:43211 (OpenAI base URL: `${url}/v1`; Ollama base URL: `url`). */
  url: string;
  route(key: `${string} /${string}`, handler: ModelRoute): void;
  /** Scripts for the next chat requests, in order; once used up, `defaultScript` applies. */
  queue(...scripts: ChatScript[]): void;
  defaultScript: ChatScript;
  embeddings: EmbeddingsBehaviour;
  requests: ModelServerRequest[];
  /** Chat responses still streaming, and those whose client hung up before the end. */
  streaming(): number;
  hungUp(): number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets what was written reach the client first: a drop then happens mid-answer, as a crashed server's would. */
async function dropAfterFlush(res: ServerResponse) {
  await sleep(30);
  dropped.add(res);
  res.destroy();
}

const dropped = new WeakSet<ServerResponse>();

type ChatMessages = { role: string; content: string }[];

/** The default reply: what the prompt numbers [1], quoted with its citation, or a refusal when it has none. */
export function defaultReply(messages: ChatMessages): string[] {
  const prompt = messages.map((m) => m.content).join('\n');
  const first = /^\[1\][^\n]*\n?([^\n]+)/m.exec(prompt)?.[1]?.trim();
  const text = first ? `According to the documents, ${first} [1]` : 'I do not know.';
  return text.match(/\s*\S+/g) ?? [];
}

export async function startModelServer(): Promise<StandInModelServer> {
  const routes = new Map<string, ModelRoute>();
  const scripts: ChatScript[] = [];
  const requests: ModelServerRequest[] = [];
  let streaming = 0;
  let hungUp = 0;

  /** Writes a scripted chat stream in `format`; `frame` turns one piece (or the end) into protocol text. */
  async function streamChat(
    request: ModelServerRequest,
    res: ServerResponse,
    format: {
      contentType: string;
      delta(text: string): string;
      stop(reason: string, tokensIn: number, tokensOut: number): string;
      error(): string;
    },
  ) {
    const script = scripts.shift() ?? server.defaultScript;
    const messages = ((request.body as { messages?: ChatMessages } | null)?.messages ?? []) as ChatMessages;
    if (script.status) {
      res.writeHead(script.status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: `scripted failure (key sk-secret-${script.status})`, type: 'server_error' },
        }),
      );
      return;
    }
    const tokens = script.tokens ?? defaultReply(messages);
    streaming++;
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished && !dropped.has(res)) {
        closed = true;
        hungUp++;
      }
    });
    try {
      res.writeHead(200, { 'content-type': format.contentType, 'cache-control': 'no-cache' });
      res.flushHeaders();
      if (script.delayFirstMs) await sleep(script.delayFirstMs);
      for (let i = 0; i < tokens.length; i++) {
        if (closed) return;
        if (i === script.errorAfter) return void res.end(format.error());
        if (i === script.dropAfter) return void (await dropAfterFlush(res));
        res.write(format.delta(tokens[i]));
        if (script.delayBetweenMs && i < tokens.length - 1) await sleep(script.delayBetweenMs);
      }
      if (script.dropAfter !== undefined && script.dropAfter >= tokens.length)
        return void (await dropAfterFlush(res));
      const tokensIn = messages.reduce((n, m) => n + m.content.split(/\s+/).length, 0);
      res.end(format.stop(script.stopReason ?? 'stop', tokensIn, tokens.length));
    } finally {
      streaming--;
    }
  }

  routes.set('POST /v1/chat/completions', (request, res) => {
    const model = (request.body as { model?: string } | null)?.model ?? 'stand-in';
    const frame = (choice: unknown, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-standin', object: 'chat.completion.chunk', created: 0, model, choices: [choice], ...extra })}\n\n`;
    return streamChat(request, res, {
      contentType: 'text/event-stream',
      delta: (text) => frame({ index: 0, delta: { content: text }, finish_reason: null }),
      stop: (reason, tokensIn, tokensOut) =>
        frame({ index: 0, delta: {}, finish_reason: reason }) +
        `data: ${JSON.stringify({ id: 'chatcmpl-standin', object: 'chat.completion.chunk', model, choices: [], usage: { prompt_tokens: tokensIn, completion_tokens: tokensOut, total_tokens: tokensIn + tokensOut } })}\n\n` +
        'data: [DONE]\n\n',
      error: () =>
        `data: ${JSON.stringify({ error: { message: 'The server had an error (sk-secret-leak)', type: 'server_error' } })}\n\n`,
    });
  });

  routes.set('POST /api/chat', (request, res) => {
    const model = (request.body as { model?: string } | null)?.model ?? 'stand-in';
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    return streamChat(request, res, {
      contentType: 'application/x-ndjson',
      delta: (text) =>
        line({
          model,
          created_at: new Date().toISOString(),
          message: { role: 'assistant', content: text },
          done: false,
        }),
      stop: (reason, tokensIn, tokensOut) =>
        line({
          model,
          created_at: new Date().toISOString(),
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: reason,
          prompt_eval_count: tokensIn,
          eval_count: tokensOut,
        }),
      error: () => line({ error: 'model runner crashed (sk-secret-leak)' }),
    });
  });

  /** Both embeddings APIs: `input` is a string or a list of strings; errors in each API's own shape. */
  async function embed(request: ModelServerRequest, res: ServerResponse, api: 'openai' | 'ollama') {
    const { dimension, status, delayMs } = server.embeddings;
    if (delayMs) await sleep(delayMs);
    if (res.destroyed) return;
    const body = (request.body ?? {}) as { model?: unknown; input?: unknown };
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    const bad =
      !Array.isArray(input) || !input.every((t) => typeof t === 'string') || typeof body.model !== 'string';
    const failure = status ?? (bad ? 400 : 0);
    res.setHeader('content-type', 'application/json');
    if (failure) {
      const message = bad
        ? 'input must be a string or a list of strings, and model a string'
        : 'scripted failure';
      res.writeHead(failure);
      return void res.end(
        JSON.stringify(
          api === 'openai' ? { error: { message, type: 'invalid_request_error' } } : { error: message },
        ),
      );
    }
    const vectors = (input as string[]).map((text) => standInVector(text, dimension));
    res.end(
      JSON.stringify(
        api === 'openai'
          ? {
              object: 'list',
              model: body.model,
              // Listed in reverse: clients must order by `index`, not by position.
              data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })).reverse(),
              usage: { prompt_tokens: 0, total_tokens: 0 },
            }
          : { model: body.model, embeddings: vectors, total_duration: 0, prompt_eval_count: 0 },
      ),
    );
  }
  routes.set('POST /v1/embeddings', (request, res) => embed(request, res, 'openai'));
  routes.set('POST /api/embed', (request, res) => embed(request, res, 'ollama'));

  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // kept as text: a route decides whether that is acceptable
      }
      const request: ModelServerRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
      requests.push(request);
      const handler = routes.get(`${request.method} ${path}`);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: `no route ${request.method} ${path}` }));
      }
      Promise.resolve(handler(request, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const server: StandInModelServer = {
    url: `http://127.0.0.1:${port}`,
    route: (key, handler) => void routes.set(key, handler),
    queue: (...next) => void scripts.push(...next),
    defaultScript: {},
    embeddings: { dimension: 48 },
    requests,
    streaming: () => streaming,
    hungUp: () => hungUp,
    async stop() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}
