// Command line for the generic gateway: serves any composed supergraph on its own, no STING platform around it.
// node gateway/src/serve.ts --supergraph FILE|URL [--port N] [--host H] [--forward-header NAME]...
//   [--profile development|production] [--metrics-port 9464] [--log-level info]
import { parseArgs } from 'node:util';
import type { Level } from 'pino';
import { enableCompileCache } from '@sting/kit/runtime/compile-cache.ts';

// Before the gateway's modules load: they then come from the compile cache (enableCompileCache says why).
enableCompileCache();
const [{ createLogger }, { startGenericGateway }] = await Promise.all([
  import('@sting/kit/logging/logger.ts'),
  import('./generic/index.ts'),
]);

const USAGE =
  'usage: node gateway/src/serve.ts --supergraph FILE|URL [--port 4000] [--host 127.0.0.1] ' +
  '[--forward-header authorization]... [--profile production|development] [--metrics-port 9464] ' +
  '[--log-level info]\n';

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

let args;
try {
  args = parseArgs({
    options: {
      supergraph: { type: 'string' },
      port: { type: 'string', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      'forward-header': { type: 'string', multiple: true },
      profile: { type: 'string', default: 'production' },
      // Production serves /metrics only on this port of its own.
      'metrics-port': { type: 'string', default: '9464' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const port = Number(args.port);
const metricsPort = Number(args['metrics-port']);
const profile = args.profile;
const isPort = (value: number) => Number.isInteger(value) && value >= 0 && value <= 65535;
if (args.help || !args.supergraph || !isPort(port) || !isPort(metricsPort)) {
  process.stderr.write(USAGE);
  process.exit(args.help ? 0 : 2);
}
if (profile !== 'production' && profile !== 'development') {
  process.stderr.write(`--profile: production or development, not "${profile}"\n${USAGE}`);
  process.exit(2);
}

const level = args['log-level'];
if (!LEVELS.includes(level as Level)) {
  process.stderr.write(`--log-level: one of ${LEVELS.join(', ')}\n`);
  process.exit(2);
}
const logger = createLogger({ name: 'gateway', level: level as Level });
try {
  const gateway = await startGenericGateway({
    supergraph: args.supergraph,
    host: args.host,
    port,
    metricsPort,
    profile,
    forwardHeaders: args['forward-header'],
    logger,
  });
  process.stdout.write(`STING gateway listening on ${gateway.url}\n`);
  const stop = () => {
    gateway.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stopping the gateway failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  logger.error({ err }, 'the gateway could not start');
  // The logger writes asynchronously; give it the chance to flush before leaving.
  setTimeout(() => process.exit(1), 100);
}
