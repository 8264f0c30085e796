// One side of tracing-overhead.bench.ts in a process of its own: the platform in one topology (distributed: the
// subgraph services in this process too), with tracing off or on (started before the platform, as
// gateway/src/main.ts does, every request sampled and exported to the collector at the given URL). Its own database
// on the PostgreSQL of DATABASE_URL (Chroma from CHROMA_URL), seeded with 20 honey jars. Over IPC it sends
// { url, token } once serving, answers 'cpu' with its process.cpuUsage(), and on 'stop' (or when the bench goes
// away) stops everything, exporting what tracing still holds, and exits.
// node tests/bench/tracing-platform-server.ts off|on embedded|distributed <collector URL>   (with an IPC channel)
import type { RunningPlatform } from '@sting/gateway';
import { startTracing, type Tracing } from '@sting/kit/tracing/index.ts';
import {
  graphql,
  login,
  startBenchPlatform,
  startBenchStack,
  startSubgraphServices,
  type SubgraphServices,
} from './bench-platform.ts';

const [phase, topology, collectorUrl] = process.argv.slice(2);
if (
  (phase !== 'off' && phase !== 'on') ||
  (topology !== 'embedded' && topology !== 'distributed') ||
  !collectorUrl ||
  !process.send
) {
  process.stderr.write(
    'usage: node tracing-platform-server.ts off|on embedded|distributed <collector URL>, with an IPC channel\n',
  );
  process.exit(2);
}
const send = (message: unknown) => process.send!(message);

const tracing: Tracing | undefined =
  phase === 'on'
    ? await startTracing({ enabled: true, otlpUrl: collectorUrl, serviceName: 'sting-bench', sampleRatio: 1 })
    : undefined;
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
      process.stderr.write(`[bench] ${topology}, tracing ${phase}: stop failed: ${err.message}\n`);
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
  process.on('message', (message) => {
    if (message === 'cpu') send({ cpu: process.cpuUsage() });
    else if (message === 'stop') stopAndExit();
  });
  // The bench gone (crashed or interrupted): leave no platform or database behind.
  process.once('disconnect', stopAndExit);
  send({ url: platform.url, token });
} catch (err) {
  await stop();
  throw err;
}
