// The PII scan: counts per type from the Pollen Filter's detectors, never the values; redaction on request.
import { describe, it, expect } from '@jest/globals';
import { scanPii } from '../../src/ingest/index.ts';

const text = 'Write to ada@example.com or bob@example.org, call +1 415 555 0100. Card 4111 1111 1111 1111.';

describe('scanPii', () => {
  it('counts findings per type and returns the text unchanged when not redacting', () => {
    const scan = scanPii(text, { redact: false });
    expect(scan.counts).toMatchObject({ email: 2, card: 1 });
    expect(scan.text).toBe(text);
    expect(JSON.stringify(scan.counts)).not.toMatch(/ada|example|4111/);
  });

  it('returns the redacted text when asked', () => {
    const scan = scanPii(text, { redact: true });
    expect(scan.text).not.toMatch(/ada@example\.com|4111 1111/);
    expect(scan.text).toContain('[EMAIL]');
    expect(scan.counts.email).toBe(2);
  });

  it('finds nothing in ordinary prose', () => {
    expect(scanPii('Bees make honey in the summer.', { redact: true })).toEqual({
      counts: {},
      text: 'Bees make honey in the summer.',
    });
  });
});
