// `npm run build:playground`: builds the playground's offline assets into gateway/public/playground/ when they are
// missing or stale (`--force` rebuilds even when current). `npm start` and the test setup run the same check.
import { buildPlayground, ensurePlaygroundBuilt, PLAYGROUND_OUT_DIR } from './playground-bundle.ts';

const started = performance.now();
const manifest = process.argv.includes('--force') ? await buildPlayground() : await ensurePlaygroundBuilt();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `playground ${manifest.fingerprint}: ${manifest.files.length} files in ${PLAYGROUND_OUT_DIR.pathname} (${seconds}s)`,
);
