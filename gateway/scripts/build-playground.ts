// Builds the playground's offline assets into gateway/public/playground/ (`--force` rebuilds even when current).
// The gateway also builds them on first use, so this is for CI and for warming a fresh checkout.
import { buildPlayground, ensurePlaygroundBuilt, PLAYGROUND_OUT_DIR } from '../src/playground/bundle.ts';

const started = performance.now();
const manifest = process.argv.includes('--force') ? await buildPlayground() : await ensurePlaygroundBuilt();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `playground ${manifest.fingerprint}: ${manifest.files.length} files in ${PLAYGROUND_OUT_DIR.pathname} (${seconds}s)`,
);
