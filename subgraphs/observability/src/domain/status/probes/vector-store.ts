// The Chroma check: its heartbeat endpoint answering 2xx.
import type { Probe } from '../probe.ts';

export function chromaProbe(url: string, name = 'chroma'): Probe {
  const heartbeat = new URL('api/v2/heartbeat', url.endsWith('/') ? url : `${url}/`).toString();
  return {
    name,
    kind: 'VECTOR_STORE',
    async check(signal) {
      const response = await fetch(heartbeat, { signal });
      await response.body?.cancel();
      return { up: response.ok, detail: `heartbeat answered ${response.status}` };
    },
  };
}
