#!/usr/bin/env node
// pollen-filter CLI: reads log lines on stdin, writes them redacted on stdout, prints the
// statistics as JSON on stderr at the end. Lines that are JSON objects are walked as records.
// Usage: pollen-filter [--mode label|partial|hash] [--disable type,type] [--secrets-file path]
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createPollenFilter, type RedactionMode } from './index.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'label' },
    disable: { type: 'string', default: '' },
    'secrets-file': { type: 'string' },
    'hash-key': { type: 'string' },
    raw: { type: 'boolean', default: false },
  },
});

const filter = createPollenFilter({
  defaultMode: values.mode as RedactionMode,
  disabledTypes: values.disable.split(',').filter(Boolean),
  hashKey: values['hash-key'] ?? process.env.POLLEN_FILTER_HASH_KEY,
});
if (values['secrets-file']) {
  filter.addKnownSecrets(readFileSync(values['secrets-file'], 'utf8').split('\n').filter(Boolean));
}

function redactLine(line: string): string {
  // JSON records are walked so key-name rules apply to fields; everything else is text.
  if (!values.raw && line.charCodeAt(0) === 123) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return JSON.stringify(filter.redactRecord(parsed as Record<string, unknown>));
      }
    } catch {
      // not JSON after all: filtered as text below
    }
  }
  return filter.redactString(line);
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!process.stdout.write(redactLine(line) + '\n')) {
    await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}
process.stderr.write(JSON.stringify(filter.stats()) + '\n');
