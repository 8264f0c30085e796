// Supplies the composed supergraph to the Apollo gateway from a file or a URL, and pushes a new version
// through the gateway's `update` hook whenever it changes: the schema is swapped without a restart.
import { readFile } from 'node:fs/promises';
import { unwatchFile, watchFile } from 'node:fs';
import { resolve } from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';

export interface SupergraphSourceOptions {
  /** File polling interval (ms); URL polling uses `urlPollMs`. */
  filePollMs?: number;
  urlPollMs?: number;
  onError?: (error: unknown) => void;
}

const isUrl = (location: string) => /^https?:\/\//.test(location);

async function fetchSdl(location: string): Promise<string> {
  if (!isUrl(location)) return readFile(resolve(location), 'utf8');
  const response = await fetch(location);
  if (!response.ok) throw new Error(`supergraph ${location} answered ${response.status}`);
  return response.text();
}

export function supergraphSource(location: string, options: SupergraphSourceOptions = {}): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = await fetchSdl(location);
      let checking = false;
      const check = async () => {
        if (checking) return;
        checking = true;
        try {
          const next = await fetchSdl(location);
          if (next.trim() && next !== current) {
            // `update` validates and composes; a broken file throws and the gateway keeps serving the old one.
            update(next);
            current = next;
          }
        } catch (error) {
          options.onError?.(error);
        } finally {
          checking = false;
        }
      };
      let cleanup: () => void;
      if (isUrl(location)) {
        const timer = setInterval(check, options.urlPollMs ?? 10_000);
        timer.unref();
        cleanup = () => clearInterval(timer);
      } else {
        // Polling (not fs.watch) survives editors and composition scripts that replace the file by renaming.
        const path = resolve(location);
        const listener = () => void check();
        watchFile(path, { interval: options.filePollMs ?? 500, persistent: false }, listener);
        cleanup = () => unwatchFile(path, listener);
      }
      return { supergraphSdl: current, cleanup: async () => cleanup() };
    },
  };
}
