// Personal data in a document's text, found by the Pollen Filter's detectors (the same ones that guard the
// logs). Only counts per type leave this function; the values never do, unless redacted away.
import { createPollenFilter } from '@sting/pollen-filter';
import type { PiiScan } from './types.ts';

// One filter for the process: detectors are stateless per call, and label mode renders `[EMAIL]` etc.
const filter = createPollenFilter({ defaultMode: 'label' });

export function scanPii(text: string, options: { redact: boolean }): PiiScan {
  const counts: Record<string, number> = {};
  for (const span of filter.detect(text)) counts[span.type] = (counts[span.type] ?? 0) + 1;
  const found = Object.keys(counts).length > 0;
  return { counts, text: options.redact && found ? filter.redactString(text) : text };
}
