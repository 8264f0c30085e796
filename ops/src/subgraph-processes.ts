// The distributed topology's subgraphs, each as its own supervised Node process (`gateway/src/serve-subgraph.ts`)
// listening at its `gateway.subgraphs` URL, started after the signing keys and migrations they depend on, and
// started again when it crashes (see keep-running.ts).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSubgraphModules } from '@sting/gateway';
import { loadOrCreateSigningKeys, migrateAll, type StingConfig, type SubgraphName } from '@sting/kit';
import { NODE_FLAGS } from '@sting/kit/runtime/node-flags.ts';
import { isPortOpen, waitUntilReady } from './services/readiness.ts';
import { superviseProcess, type SupervisedProcess } from './services/supervised-process.ts';
import {
  defaultRestartPolicy,
  keepRunning,
  type KeepRunningEvents,
  type RestartPolicy,
} from './services/keep-running.ts';

export type SubgraphProcessesOptions = {
  config: Pick<StingConfig, 'gateway' | 'security'>;
  /** the URLs the launcher resolved (started or given), handed to every subgraph through its environment */
  services: { databaseUrl: string; redisUrl?: string; chromaUrl?: string };
  logDir: string;
  log?: (line: string) => void;
  onReady?: (subgraph: RunningSubgraph, elapsedMs: number) => void;
  /** how long one subgraph may take to answer /healthz */
  readyTimeoutMs?: number;
  /** crashed subgraphs are started again under this policy (default: defaultRestartPolicy) */
  restart?: RestartPolicy;
  /** told of crashes, restarts and failed restarts */
  events?: KeepRunningEvents;
};

export type RunningSubgraph = { name: SubgraphName; url: string; pid: number; logFile: string };

export type SubgraphProcesses = {
  list: RunningSubgraph[];
  /** one per process: settles with its name when it kept crashing and is given up on */
  gaveUp: Promise<string>[];
  stop(): Promise<void>;
};

export async function startSubgraphProcesses(options: SubgraphProcessesOptions): Promise<SubgraphProcesses> {
  const { config, services } = options;
  if (!services.redisUrl) {
    // Separate processes share events (subscriptions, statistics) only through Redis; an in-process bus
    // would silently deliver nothing across them.
    throw new Error(
      'the distributed topology needs Redis for its event bus: set redis.url (or REDIS_URL), or leave it ' +
        'empty with redis-server installed so the launcher starts one',
    );
  }
  const names = Object.keys(config.gateway.subgraphs) as SubgraphName[];
  // A subgraph left over from an earlier run would answer our /healthz in place of the one we start.
  for (const name of names) {
    const url = new URL(config.gateway.subgraphs[name]);
    if (await isPortOpen(Number(url.port || 80), url.hostname)) {
      throw new Error(
        `${name}: port ${url.port} is already in use; stop what listens there or change gateway.subgraphs.${name}`,
      );
    }
  }
  // The gateway would write the key pair on its first start, but the subgraphs read its public half as
  // they start, so it must exist before them.
  await loadOrCreateSigningKeys(config.security.keysDir);
  // Once, here: several subgraph processes (or replicas) migrating the same schemas at once would race.
  const applied = await migrateAll(await loadSubgraphModules(), services.databaseUrl);
  for (const [name, migrations] of Object.entries(applied)) {
    if (migrations.length > 0) options.log?.(`${name}: applied ${migrations.join(', ')}`);
  }

  const entry = fileURLToPath(import.meta.resolve('@sting/gateway/serve-subgraph.ts'));
  const env = {
    ...process.env,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    CHROMA_URL: services.chromaUrl ?? '',
  };
  const started: { subgraph: RunningSubgraph; child: SupervisedProcess }[] = [];
  const stopAll = () => Promise.all(started.map(({ child }) => child.stop())).then(() => undefined);

  /** Spawns the subgraph and waits for its /healthz; a failed start stops what it spawned. */
  const spawnSubgraph = async (name: SubgraphName) => {
    const url = config.gateway.subgraphs[name];
    const logFile = join(options.logDir, `${name}.log`);
    const child = superviseProcess({
      name,
      command: process.execPath,
      args: [...NODE_FLAGS, entry, name],
      logFile,
      env,
      stopSignal: 'SIGTERM', // serve-subgraph closes its server, ORM and bus on SIGTERM
      deathSignal: 'SIGTERM',
      graceMs: 10_000,
    });
    const subgraph = { name, url, pid: child.pid, logFile };
    try {
      await waitUntilReady(name, () => healthy(url), {
        timeoutMs: options.readyTimeoutMs ?? 120_000,
        process: child,
        logFile,
      });
    } catch (error) {
      await child.stop();
      throw error;
    }
    return { subgraph, child };
  };

  const results = await Promise.allSettled(
    names.map(async (name) => {
      const began = performance.now();
      const running = await spawnSubgraph(name);
      started.push(running);
      options.onReady?.(running.subgraph, Math.round(performance.now() - began));
      return running;
    }),
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length > 0) {
    await stopAll();
    throw failures.length === 1
      ? failures[0]
      : new AggregateError(failures, failures.map((f) => f.message).join('\n'));
  }
  const kept = started.map(({ subgraph, child }) => {
    const instance = (running: { subgraph: RunningSubgraph; child: SupervisedProcess }) => ({
      ...running,
      pid: running.child.pid,
      exited: running.child.exited,
      stop: running.child.stop,
    });
    return keepRunning(
      subgraph.name,
      instance({ subgraph, child }),
      async () => instance(await spawnSubgraph(subgraph.name)),
      options.restart ?? defaultRestartPolicy,
      options.events,
    );
  });
  return {
    list: started.map(({ subgraph }) => subgraph),
    gaveUp: kept.map((subgraph) => subgraph.gaveUp),
    stop: async () => {
      await Promise.all(kept.map((subgraph) => subgraph.stop()));
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.ok;
}
