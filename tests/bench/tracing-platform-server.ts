// The platform of tracing-overhead.bench.ts in a process of its own, in one topology (distributed: the subgraph
// services in this process too), with tracing switched off and on as the bench asks: on starts tracing as
// gateway/src/main.ts does (every request sampled, spans exported to the collector at the given URL), sampled the
// same with one new trace in ten kept, off stops it (the provider shut down, its spans exported, PostgreSQL no longer
// patched, libraries' tracers no-ops), so every row runs in one process. It starts off. Its own database on the PostgreSQL of DATABASE_URL (Chroma from
// CHROMA_URL), seeded with 20 honey jars. Over IPC it sends { url, token } once serving; answers { tracing } with
// { tracing } once switched, and 'cpu' with its process.cpuUsage() after exporting what tracing still holds (so a
// round's CPU counts its spans' export); on 'stop' (or when the bench goes away) it stops everything and exits.
// node tests/bench/tracing-platform-server.ts embedded|distributed <collector URL> http/protobuf|http/json
// (with an IPC channel; the last argument is the spans' OTLP encoding)
import type { RunningPlatform } from '@sting/gateway';
import { startTracing, type OtlpProtocol, type Tracing } from '@sting/kit/tracing/index.ts';
import {
  graphql,
  login,
  startBenchPlatform,
  startBenchStack,
  startSubgraphServices,
  type SubgraphServices,
} from './bench-platform.ts';

const [topology, collectorUrl, protocol] = process.argv.slice(2);
if (
  (topology !== 'embedded' && topology !== 'distributed') ||
  !collectorUrl ||
  (protocol !== 'http/protobuf' && protocol !== 'http/json') ||
  !process.send
) {
  process.stderr.write(
    'usage: node tracing-platform-server.ts embedded|distributed <collector URL> http/protobuf|http/json, ' +
      'with an IPC channel\n',
  );
  process.exit(2);
}
const send = (message: unknown) => process.send!(message);
const otlpProtocol = protocol as OtlpProtocol; // checked above

type Phase = 'off' | 'on' | 'sampled';
/** The share of new traces kept in the 'sampled' phase ('on' keeps every one). */
const SAMPLED_RATIO = 0.1;
let tracing: Tracing | undefined;
let current: Phase = 'off';
async function switchTracing(phase: Phase): Promise<void> {
  if (phase === current) return;
  if (tracing) {
    await tracing.stop();
    tracing = undefined;
  }
  if (phase !== 'off')
    tracing = await startTracing({
      enabled: true,
      otlpUrl: collectorUrl,
      otlpProtocol,
      serviceName: 'sting-bench',
      sampleRatio: phase === 'on' ? 1 : SAMPLED_RATIO,
    });
  current = phase;
}
const stack = await startBenchStack();
let services: SubgraphServices | undefined;
let platform: RunningPlatform | undefined;
let stopping: Promise<void> | undefined;
const stop = () =>
  (stopping ??= (async () => {
    await platform?.stop();
    await tracing?.stop();
    await services?.stop();
    await stack.stop();
  })());
const stopAndExit = () =>
  void stop().then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`[bench] ${topology}: stop failed: ${err.message}\n`);
      process.exit(1);
    },
  );
try {
  if (topology === 'distributed') services = await startSubgraphServices(stack);
  platform = await startBenchPlatform(stack, topology, { services });
  const token = await login(platform.url);
  for (let i = 0; i < 20; i++)
    await graphql(
      platform.url,
      'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
      { n: `Jar ${i}` },
      token,
    );
  process.on('message', (message: 'cpu' | 'stop' | { tracing: Phase }) => {
    if (message === 'cpu')
      void (tracing?.flush() ?? Promise.resolve()).then(() => send({ cpu: process.cpuUsage() }));
    else if (message === 'stop') stopAndExit();
    else void switchTracing(message.tracing).then(() => send(message));
  });
  // The bench gone (crashed or interrupted): leave no platform or database behind.
  process.once('disconnect', stopAndExit);
  send({ url: platform.url, token });
} catch (err) {
  await stop();
  throw err;
}
