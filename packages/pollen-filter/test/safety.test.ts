// Safety properties: never throws on any input, linear time on adversarial inputs, and no mode
// discloses more of a value than it allows.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createPollenFilter } from '../src/index.ts';

const filters = [
  createPollenFilter(),
  createPollenFilter({ defaultMode: 'partial', knownSecrets: ['known-secret-value'] }),
  createPollenFilter({ defaultMode: 'hash' }),
];
const fragments = [
  '@',
  '.',
  ':',
  '::',
  '-',
  ' ',
  '+',
  'eyJ',
  '-----BEGIN RSA PRIVATE KEY-----',
  '://a:b@',
  'password=',
  'Bearer ',
  '"token":"',
  '\\"',
  '4111',
  'DE89',
  'AKIA',
  'ghp_',
  'hvs.',
  's.',
  '\n',
  '%40',
  '%2540',
  '\u00a0',
  'é',
  'xn--',
  'sting_',
  'api_key:',
];

describe('never throws', () => {
  it('on random unicode, binary-ish and fragment-built strings', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 })), { maxLength: 80 })
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, (s) => {
        for (const f of filters) {
          expect(typeof f.redactString(s)).toBe('string');
          expect(typeof f.redactRecord({ [s]: s, nested: [s, { s }] })).toBe('object');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('on values that are not strings or plain objects', () => {
    const f = createPollenFilter();
    expect(f.redactString(undefined as never)).toBe('undefined');
    expect(
      f.redactRecord({ n: 1n, f: () => 1, sym: Symbol('x'), d: new Date(0), m: new Map([['k', 'a@b.io']]) }),
    ).toMatchObject({ n: 1n, m: { k: '[EMAIL]' } });
  });
});

describe('linear time', () => {
  const MB = 1024 * 1024;
  const inputs: [string, string][] = [
    ['a', 'a'.repeat(MB)],
    ['@', '@'.repeat(MB)],
    ['digits', '7'.repeat(MB)],
    ['eyJ', 'eyJ'.repeat(MB / 3)],
    ['a@', 'a@'.repeat(MB / 2)],
    ['colons', 'a:'.repeat(MB / 2)],
    ['key=value', 'token=abc&'.repeat(MB / 10)],
    ['bearer', 'Bearer 1'.repeat(MB / 8)],
    ['userinfo', '://a:b'.repeat(MB / 6)],
    ['dots', '1.'.repeat(MB / 2)],
    ['%40', 'a%40'.repeat(MB / 4)],
    ['a cut-back domain', 'a@b.c9'.repeat(MB / 6)],
    ['accented addresses', 'é@'.repeat(MB / 2)],
    ['dotted groups', '1111.'.repeat(MB / 5)],
    ['no-break groups', '1111\u00a0'.repeat(MB / 5)],
    ['letters and digits', 'abcdefgh4111111111111'.repeat(MB / 21)],
    ['hyphenated words and digits', 'ab1-2'.repeat(MB / 5)],
    ['sting_', 'sting_'.repeat(MB / 6)],
    ['api_key:', 'api_key:'.repeat(MB / 8)],
  ];
  it.each(inputs)('1 MB of %s finishes in well under a second', (_name, input) => {
    const t0 = performance.now();
    createPollenFilter().redactString(input);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('disclosure per mode', () => {
  const luhn = (body: string): string => {
    let sum = 0;
    for (let i = 0; i < body.length; i++) {
      let d = Number(body[body.length - 1 - i]);
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return body + ((10 - (sum % 10)) % 10);
  };
  const card = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 })
    .map((d) => luhn('4' + d.join('')));
  const context = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '=', ':', 'x'), maxLength: 12 });

  it('label and hash modes never show any 4-digit window beyond nothing; partial shows only the last four', () => {
    fc.assert(
      fc.property(context, card, context, (before, number, after) => {
        const line = `${before} ${number} ${after}`;
        for (const mode of ['label', 'hash'] as const) {
          const out = createPollenFilter({ defaultMode: mode }).redactString(line);
          expect(out).not.toContain(number.slice(0, 6));
          expect(out).not.toContain(number.slice(-6));
        }
        const partial = createPollenFilter({ defaultMode: 'partial' }).redactString(line);
        expect(partial).toContain(`[CARD ****${number.slice(-4)}]`);
        expect(partial).not.toContain(number.slice(0, 6));
        expect(partial).not.toContain(number.slice(-5));
      }),
      { numRuns: 300 },
    );
  });

  it('partial mode shows nothing of a generic secret', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123!*'), minLength: 6, maxLength: 30 }),
        (secret) => {
          const out = createPollenFilter({ defaultMode: 'partial' }).redactString(`password=${secret} next`);
          expect(out).toBe('password=[SECRET] next');
        },
      ),
    );
  });
});
