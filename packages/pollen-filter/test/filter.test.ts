// Behaviour of the public API: modes, record walking, known secrets, custom patterns, statistics.
import { describe, expect, it } from '@jest/globals';
import { createPollenFilter, UnsafePatternError } from '../src/index.ts';

describe('modes', () => {
  it('labels by default, shows a bounded fragment in partial mode, hashes with the key in hash mode', () => {
    const line = 'paid with 4111 1111 1111 1111 by alice@example.com';
    expect(createPollenFilter().redactString(line)).toBe('paid with [CARD] by [EMAIL]');
    expect(createPollenFilter({ defaultMode: 'partial' }).redactString(line)).toBe(
      'paid with [CARD ****1111] by [EMAIL a***@example.com]',
    );
    const a = createPollenFilter({ defaultMode: 'hash', hashKey: 'k1' });
    const b = createPollenFilter({ defaultMode: 'hash', hashKey: 'k2' });
    const ha = a.redactString('alice@example.com');
    expect(ha).toMatch(/^\[EMAIL#[0-9a-f]{12}\]$/);
    expect(a.redactString('ALICE@example.com')).toBe(ha); // same address, same hash
    expect(b.redactString('alice@example.com')).not.toBe(ha); // another key, another hash
  });

  it('applies per-type modes and disabled types', () => {
    const f = createPollenFilter({ modes: { card: 'partial' }, disabledTypes: ['ipv4'] });
    expect(f.redactString('card 5555555555554444 from 203.0.113.9')).toBe(
      'card [CARD ****4444] from 203.0.113.9',
    );
  });

  it('rejects an unknown mode at construction', () => {
    expect(() => createPollenFilter({ defaultMode: 'blur' as never })).toThrow(/mode/);
  });
});

describe('redactRecord', () => {
  it('applies key-name rules to fields and detectors to values, recursively, without mutating', () => {
    const input = {
      msg: 'reset for bob@example.org',
      password: 'hunter2',
      pin_count: 3,
      user: { apiKey: 'abc', tags: ['ok', '203.0.113.5'], has_password: true },
      headers: { authorization: 'Bearer abc123def456' },
    };
    const copy = structuredClone(input);
    const out = createPollenFilter().redactRecord(input);
    expect(input).toEqual(copy);
    expect(out).toEqual({
      msg: 'reset for [EMAIL]',
      password: '[SECRET]',
      pin_count: 3,
      user: { apiKey: '[SECRET]', tags: ['ok', '[IPV4]'], has_password: true },
      headers: { authorization: 'Bearer [BEARER_TOKEN]' },
    });
  });

  it('tolerates cycles, throwing getters, errors and binary data', () => {
    const record: Record<string, unknown> = { a: 1 };
    record.self = record;
    Object.defineProperty(record, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    record.err = new Error('failed for carol@example.com');
    record.buf = Buffer.from('secret bytes');
    const out = createPollenFilter().redactRecord(record);
    expect(out.self).toBe('[CIRCULAR]');
    expect(out.bad).toBe('[UNREADABLE]');
    expect((out.err as Record<string, unknown>).message).toBe('failed for [EMAIL]');
    expect(out.buf).toBe('[BINARY 12 bytes]');
  });

  it('does not let a __proto__ key change the prototype', () => {
    const out = createPollenFilter().redactRecord(JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it("keeps keys named like Object.prototype's members as the record's own fields, filtered", () => {
    const line =
      '{"__proto__":{"to":"ada@example.com"},"constructor":"x","toString":"ada@example.com","valueOf":1}';
    const out = createPollenFilter().redactRecord(JSON.parse(line));
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'toString', 'valueOf']);
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"to":"[EMAIL]"},"constructor":"x","toString":"[EMAIL]","valueOf":1}',
    );
  });

  it('names a secret field the same way every time it sees the key', () => {
    const f = createPollenFilter();
    for (let i = 0; i < 3; i++) {
      const out = f.redactRecord({ apiKey: `k-${i}-abcdefgh`, note: 'fine' });
      expect(out.apiKey).not.toContain(`k-${i}`);
      expect(out.note).toBe('fine');
    }
  });
});

describe('known secrets', () => {
  it('redacts exact values anywhere, including inside longer strings and encoded', () => {
    const f = createPollenFilter();
    f.addKnownSecrets(['Zq9-vault-db-pass', 'ab']);
    expect(f.redactString('dsn=x?pw=preZq9-vault-db-passpost')).toBe('dsn=x?pw=pre[KNOWN_SECRET]post');
    expect(f.redactString('q=Zq9-vault-db-pass%2F')).toBe('q=[KNOWN_SECRET]%2F');
    expect(f.redactString('ab stays: too short to be a secret')).toBe('ab stays: too short to be a secret');
    f.addKnownSecrets(['p@ss word/1']);
    expect(f.redactString('url=p%40ss%20word%2F1')).toBe('url=[KNOWN_SECRET]');
    expect(f.redactRecord({ note: 'it was Zq9-vault-db-pass' })).toEqual({ note: 'it was [KNOWN_SECRET]' });
  });
});

describe('custom patterns', () => {
  it('adds named patterns with their own mode', () => {
    const f = createPollenFilter({
      customPatterns: [{ name: 'employee_id', pattern: /\bEMP-\d{6}\b/, mode: 'hash' }],
    });
    expect(f.redactString('by EMP-004211 today')).toMatch(/^by \[EMPLOYEE_ID#[0-9a-f]{12}\] today$/);
  });

  it('refuses patterns that can backtrack catastrophically', () => {
    for (const pattern of ['(a+)+$', '(\\w*)*x', '(a|aa)+b', '(x)\\1', '((ab)+)+']) {
      expect(() => createPollenFilter({ customPatterns: [{ name: 'bad', pattern }] })).toThrow(
        UnsafePatternError,
      );
    }
    expect(() =>
      createPollenFilter({ customPatterns: [{ name: 'ok', pattern: 'ORD-[0-9]{4,8}(?:-[A-Z]{2})?' }] }),
    ).not.toThrow();
  });
});

describe('statistics', () => {
  it('counts redactions per type, records and bytes, and resets', () => {
    const f = createPollenFilter();
    f.redactString('a@example.com b@example.com');
    f.redactRecord({ password: 'x', ip: '198.51.100.7' });
    const s = f.stats();
    expect(s.counts).toEqual({ email: 2, secret: 1, ipv4: 1 });
    expect(s.records).toBe(2);
    expect(s.bytes).toBeGreaterThanOrEqual(27 + 12);
    f.resetStats();
    expect(f.stats()).toMatchObject({ records: 0, bytes: 0, counts: {} });
  });
});

describe('model provider and STING API keys', () => {
  const openai = 'sk-proj-' + 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0h';
  const anthropic = 'sk-ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA9876543210';
  const sting = 'sting_' + 'q8Vd2LkPz0Xw7RtYb4NcMe1JsHa6GfUo9iEl3ZpQW5k';

  it('labels them by type, and shows only their prefix in partial mode', () => {
    const f = createPollenFilter();
    expect(f.redactString(`key=${openai} then ${anthropic} and ${sting}.`)).toBe(
      'key=[MODEL_API_KEY] then [MODEL_API_KEY] and [STING_API_KEY].',
    );
    expect(createPollenFilter({ defaultMode: 'partial' }).redactString(`${openai} ${sting}`)).toBe(
      '[MODEL_API_KEY sk-…] [STING_API_KEY sting_…]',
    );
  });

  it('leaves hyphenated words and short or non-random look-alikes alone', () => {
    const f = createPollenFilter();
    for (const text of [
      'we use sk-learn-compatible-estimators-for-everything here',
      'sk-short1A',
      'a sting_operation_was_planned',
      'sting_' + 'a'.repeat(43),
    ])
      expect([text, f.redactString(text)]).toEqual([
        text,
        text.startsWith('sting_a') ? '[STING_API_KEY]' : text,
      ]);
  });
});
