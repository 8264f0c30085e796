// The Chroma vector store client (chromadb v3), built from the one URL in config, and the heartbeat that health
// and readiness checks use.
import { ChromaClient } from 'chromadb';

/** `http://127.0.0.1:8300` or `https://chroma.internal`; a path prefix is not supported by chromadb v3. */
export function createChromaClient(
  url: string,
  options: { headers?: Record<string, string> } = {},
): ChromaClient {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Chroma URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Chroma URL "${url}" must be http or https`);
  }
  const ssl = parsed.protocol === 'https:';
  return new ChromaClient({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : ssl ? 443 : 80,
    ssl,
    headers: options.headers,
  });
}

export type ChromaHeartbeat =
  { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

/** Asks Chroma for its heartbeat; never throws, and gives up after `timeoutMs`. */
export async function chromaHeartbeat(client: ChromaClient, timeoutMs = 2000): Promise<ChromaHeartbeat> {
  const began = performance.now();
  const elapsed = () => Math.round(performance.now() - began);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no heartbeat within ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    const beat = await Promise.race([client.heartbeat(), timeout]);
    if (typeof beat !== 'number')
      return { ok: false, latencyMs: elapsed(), error: 'unexpected heartbeat answer' };
    return { ok: true, latencyMs: elapsed() };
  } catch (err) {
    return { ok: false, latencyMs: elapsed(), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
