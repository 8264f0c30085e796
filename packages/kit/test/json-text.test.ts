// Request bodies read strictly: valid UTF-8, valid JSON, nested at most MAX_JSON_DEPTH levels (counted without
// recursion, and without walking past the limit).
import { describe, it, expect } from '@jest/globals';
import { JsonTextError, MAX_JSON_DEPTH, jsonDepth, parseJsonBytes, utf8Text } from '../src/http/json-text.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('jsonDepth', () => {
  it('counts the levels of arrays and objects, a scalar being none', () => {
    expect(jsonDepth('text')).toBe(0);
    expect(jsonDepth(null)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: [] }], c: 2 })).toBe(4);
    expect(jsonDepth([[], [[[]]], []])).toBe(4);
  });

  it('stops one level past the limit, however deep the value goes', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(jsonDepth(deep)).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonDepth(deep, 3)).toBe(4);
  });
});

describe('parseJsonBytes', () => {
  it('reads valid UTF-8 JSON, multi-byte characters and all', () => {
    expect(parseJsonBytes(bytes('{"name":"Miel de bruyère 🐝"}'))).toEqual({ name: 'Miel de bruyère 🐝' });
  });

  it('refuses bytes that are not UTF-8 instead of reading them as U+FFFD', () => {
    const latin1 = Uint8Array.from([...bytes('{"name":"caf'), 0xe9, ...bytes('"}')]);
    expect(() => parseJsonBytes(latin1)).toThrow(new JsonTextError('The request body is not valid UTF-8'));
    expect(() => utf8Text(Uint8Array.from([0xc3]))).toThrow(JsonTextError); // a sequence cut short
  });

  it('refuses text that is not JSON, and JSON nested past the limit', () => {
    expect(() => parseJsonBytes(bytes('{"name": '))).toThrow('The request body is not valid JSON');
    const levels = (n: number) => bytes(`${'['.repeat(n)}${']'.repeat(n)}`);
    expect(parseJsonBytes(levels(MAX_JSON_DEPTH))).toBeDefined();
    expect(() => parseJsonBytes(levels(MAX_JSON_DEPTH + 1))).toThrow(
      'The request body is nested more than 64 levels deep',
    );
  });
});
