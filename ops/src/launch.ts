// `npm start`: brings up PostgreSQL, Redis and Chroma (or finds them running), then (distributed topology) each
// subgraph as its own process, then the gateway; on Ctrl-C or SIGTERM stops everything it started and exits 0.
import { startPlatform, type RunningPlatform } from '@sting/gateway';
import { loadConfigWithSecrets } from '@sting/kit';
import { embeddedRedisPassword } from './redis-password.ts';
import { raisePlatformAlert } from './platform-alert.ts';
import { RestartAnnouncer } from './restart-events.ts';
import { makePrivate } from './services/private-files.ts';
import { servicesOptions } from './service-options.ts';
import { startServices, type Services } from './services/index.ts';
import { startSubgraphProcesses, type SubgraphProcesses } from './subgraph-processes.ts';
import { ensureWebBuild } from './web-build.ts';

const say = (line: string) => process.stdout.write(`[sting] ${line}\n`);

let starting: Promise<Services> | undefined;
let subgraphs: Promise<SubgraphProcesses> | undefined;
let platform: Promise<RunningPlatform> | undefined;
let stopping: Promise<never> | undefined;

/** Idempotent: npm and the terminal may both deliver a signal, and the second must not cut the first short. */
function shutdown(reason: string, code: number): Promise<never> {
  stopping ??= (async () => {
    say(`${reason}: stopping`);
    // A signal during start-up waits for the starts to finish, so nothing half-started is left behind.
    const services = await starting?.catch(() => undefined);
    const processes = await subgraphs?.catch(() => undefined);
    const running = await platform?.catch(() => undefined);
    // Outside in: the gateway stops taking requests before the subgraphs behind it go, and they before
    // the database and Redis they use.
    await running?.stop().catch((error: Error) => say(`platform stop failed: ${error.message}`));
    await processes?.stop();
    await services?.stop();
    say('stopped');
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

async function main(): Promise<void> {
  const began = performance.now();
  // Every restart after a crash goes out as a launcher.restart event once the platform's bus is up.
  const restarts = new RestartAnnouncer((error) => say(`restart event not published: ${error.message}`));
  const { config, secrets } = await loadConfigWithSecrets();
  // Left readable by an earlier version: the keystore, its key and the signing keys are this account's only.
  for (const path of [config.security.keysDir, config.secrets.keystore, config.secrets.keyFile])
    makePrivate(path);
  // Only a Redis we start gets our password; a configured redis.url carries its own.
  const redisPassword = config.redis.url
    ? undefined
    : await embeddedRedisPassword(secrets, config.secrets.provider);
  // The web app and the playground are built (when stale) while the services start; all must be done before the
  // gateway serves.
  const webBuild = Promise.all([
    ensureWebBuild(say),
    // Imported only when needed: the build uses esbuild, a development dependency.
    config.gateway.playground
      ? import('../../gateway/scripts/playground-bundle.ts').then((build) => build.ensurePlaygroundBuilt())
      : undefined,
  ]);
  webBuild.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  starting = startServices({
    ...servicesOptions(config, { redisPassword }),
    restart: config.launcher.restart,
    onCrash: (name, exit, restartInMs) => restarts.crashed(name, exit, restartInMs),
    onRestarted: (name) => restarts.restarted(name),
    log: say,
    onReady: (service, ms) => {
      const how = service.reused
        ? 'already running, reused'
        : service.initialised
          ? 'new data'
          : 'data reused';
      say(`${service.name} ready (${ms}ms, ${how})`);
    },
  });
  const services = await starting;
  if (stopping) return;
  say(`services up in ${Math.round(performance.now() - began)}ms`);

  say(
    `database ${redact(services.databaseUrl)}, redis ${redact(services.redisUrl)}, chroma ${services.chromaUrl}`,
  );
  if (config.topology === 'distributed') {
    subgraphs = startSubgraphProcesses({
      config,
      services,
      logDir: servicesOptions(config).logDir,
      log: say,
      restart: config.launcher.restart,
      events: {
        onCrash: (name, exit, restartInMs) => {
          restarts.crashed(name, exit, restartInMs);
          if (restartInMs !== undefined)
            say(`${name} exited unexpectedly (${String(exit)}); restarting in ${restartInMs}ms`);
        },
        onRestarted: (name, again) => {
          restarts.restarted(name);
          say(`${name} restarted (pid ${again.pid ?? '?'})`);
        },
        onRestartFailed: (name, error) => say(`${name} restart failed: ${error.message}`),
      },
      onReady: (subgraph, ms) =>
        say(`${subgraph.name} ready at ${subgraph.url} (${ms}ms, pid ${subgraph.pid})`),
    });
    await subgraphs;
    if (stopping) return;
  }
  await webBuild;
  platform = startPlatform(config, services);
  const running = await platform;
  if (stopping) return;
  restarts.attach(running.bus);
  say(`STING is up in ${Math.round(performance.now() - began)}ms: ${running.url}`);
  say(`web app: ${webAppUrl(running.url)}`);
  if (config.gateway.playground) say(`playground: ${running.url.replace(/\/graphql$/, '/playground')}`);

  // A crashed service or subgraph is started again (keep-running.ts). One that keeps crashing is given up on:
  // the platform stays up without it (partial answers, /readyz names it) and administrators get an alert.
  const processes = await subgraphs;
  for (const gaveUp of [...services.gaveUp, ...(processes?.gaveUp ?? [])]) {
    void gaveUp.then(async (name) => {
      const logFile = processes?.list.find((subgraph) => subgraph.name === name)?.logFile ?? 'its log';
      const { maxCrashes, windowSeconds } = config.launcher.restart;
      const message =
        `${name} crashed more than ${maxCrashes} times within ${windowSeconds}s and is no longer restarted; ` +
        `the platform runs without it (see ${logFile}). Restart STING once the cause is fixed.`;
      say(`gave up on ${name}: ${message}`);
      const raised = await raisePlatformAlert(running, {
        severity: 'CRITICAL',
        title: `${name} is down`,
        message,
      }).catch((error: Error) => `not raised (${error.message})`);
      say(`alert for ${name}: ${raised}`);
    });
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

main().catch(async (error: Error) => {
  process.stderr.write(`[sting] start failed: ${error.message}\n`);
  // What did start (services, subgraph processes) is stopped in order rather than left to the death signal.
  await shutdown('start failed', 1);
});

/**
 * The web app's address to open: on a loopback or any-address listener, by the name `localhost`, which passkeys
 * belong to by default (identity.webauthn); a browser refuses them at 127.0.0.1, an IP address being no domain.
 */
function webAppUrl(graphqlUrl: string): string {
  const url = new URL('/', graphqlUrl);
  if (['127.0.0.1', '[::1]', '0.0.0.0', '[::]'].includes(url.hostname)) url.hostname = 'localhost';
  return url.href;
}
