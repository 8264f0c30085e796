// Emails and card numbers in the forms logs really hold them: glued to the text around them (a
// request path, an id), URL-encoded, grouped with no-break spaces or dots. Next to them, the look-alikes
// that must pass through untouched. And API keys: a key's id names it, the key itself is a secret.
import { describe, expect, it } from '@jest/globals';
import { createPollenFilter } from '../src/index.ts';

const filter = createPollenFilter();

describe('emails and cards glued to other text or spelled differently', () => {
  it.each([
    // An address followed by `-…`, `.123` or digits: the domain ends where its alphabetic TLD does.
    ['kim.private@example.org-x', '[EMAIL]-x'],
    ['kim.private@example.org.123', '[EMAIL].123'],
    ['kim.private@example.org123', '[EMAIL]123'],
    ['kim.private@example.org.4111111111111111', '[EMAIL].[CARD]'],
    ['kim.private@example.org4111111111111111', '[EMAIL][CARD]'],
    ['id=YMARK3 olga.private@example.org-x', 'id=YMARK3 [EMAIL]-x'],
    // URL-encoded once (`%40`) or twice (`%2540`); an encoded space before it is not part of it.
    ['kim.private%40example.org', '[EMAIL]'],
    ['/documents/YMARK3%20olga.private%40example.org-x', '/documents/YMARK3%20[EMAIL]-x'],
    ['next=%2Fshare%3Fto%3Dkim.private%2540example.org', 'next=%2Fshare%3Fto%3D[EMAIL]'],
    // Addresses in other scripts (RFC 6531) and punycode TLDs.
    ['josé.núñez@exämple.de', '[EMAIL]'],
    ['user@example.xn--p1ai', '[EMAIL]'],
    // A card after `-`, `_`, `.` or letters, and letters after it.
    ['id-4111111111111111', 'id-[CARD]'],
    ['id_4111111111111111', 'id_[CARD]'],
    ['abc4111111111111111', 'abc[CARD]'],
    ['card378282246310005', 'card[CARD]'],
    ['ZMARK8-4111111111111111', 'ZMARK8-[CARD]'],
    ['ref1234-378282246310005', 'ref1234-[CARD]'],
    ['4111111111111111abc', '[CARD]abc'],
    ['4111111111111111_x', '[CARD]_x'],
    // Groups split by no-break spaces (plain and narrow) or dots.
    ['4111\u00a01111\u00a01111\u00a01111', '[CARD]'],
    ['4111\u202f1111\u202f1111\u202f1111', '[CARD]'],
    ['4111\u00a01111 1111\u00a01111', '[CARD]'],
    ['4111.1111.1111.1111', '[CARD]'],
    ['4111.1111.1111.1111.003', '[CARD]'],
    // A card followed by another number after a space: a status code, an expiry date.
    ['pay 4111111111111111 404', 'pay [CARD] 404'],
    ['card 4111111111111111 12 25', 'card [CARD] 12 25'],
    // Both at once, as the probe sent them through a REST path and an anonymous mutation.
    ['ZMARK8-kim.private@example.org-4111111111111111', '[EMAIL]-[CARD]'],
    ['WMARK1 anon.person@example.org-x order-4111111111111111', 'WMARK1 [EMAIL]-x order-[CARD]'],
    [
      'honeyJarId=YMARK5 pat.private@example.com-x,userId=4111111111111111',
      'honeyJarId=YMARK5 [EMAIL]-x,userId=[CARD]',
    ],
  ])('%j becomes %j', (input, expected) => {
    expect(filter.redactString(input)).toBe(expected);
  });
});

describe('look-alikes stay as they are', () => {
  it.each([
    // UUIDs and hex ids, however their digits fall.
    '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    'v9d1302ed-b9c3-4530-9284-976720169941',
    'span e301581467002122 done',
    '9fceb02d0ae598e4111111111111111f19372d61af8',
    'oid=deadbeef4111111111111111',
    '0x4111111111111111',
    // Decimal and signed numbers, timestamps.
    'p=0.4111111111111111',
    'rate=v0.4111111111111111',
    'elapsed=4532.015200000001',
    '4111.111111111111',
    'delta=-4111111111111111',
    'hash=-4111111111111111111',
    '+4111111111111111',
    '1700000000000.4111',
    '2024-03-09T14:02:11.532Z',
    'build 1234-4111111111111111',
    // Versions, addresses that are not IPs, assets.
    '10.0.19045.2006',
    '10.4111111111111111',
    '10.300.1.4',
    'pkg@1.0.rc1',
    'pkg@5.beta.1',
    'node@20.11.1-alpine3.19',
    'react@18.2.0',
    'sprite@2x.min.js',
    'logo@2x.png-old',
    'user@localhost',
    'width%40px',
    // Numbers that fail Luhn or have a mistyped IBAN's shape, and numbers glued to other numbers.
    'order-4111111111111112',
    'id=4951 0817 6881 6010 803',
    'iban CH4343413289512812520',
    '4111111111111111exp1225',
  ])('%j', (input) => {
    expect(filter.redactString(input)).toBe(input);
  });
});

describe('modes with the new forms', () => {
  it('shows the domain of a URL-encoded address in partial mode and hashes it like the plain one', () => {
    expect(createPollenFilter({ defaultMode: 'partial' }).redactString('to=kim%40example.org')).toBe(
      'to=[EMAIL k***%40example.org]',
    );
    const f = createPollenFilter({ defaultMode: 'hash', hashKey: 'k' });
    expect(f.redactString('kim%40example.org')).toBe(f.redactString('Kim@example.org'));
    expect(
      createPollenFilter({ defaultMode: 'partial' }).redactString('4111\u00a01111\u00a01111\u00a01111'),
    ).toBe('[CARD ****1111]');
  });
});

describe('API key ids and API keys', () => {
  const id = '1cee3d8a-2046-46bd-8d3c-f68f84f1d4fa';
  const key = 'sting_' + 'q8Vd2LkPz0Xw7RtYb4NcMe1JsHa6GfUo9iEl3ZpQW5k';

  it('leaves `api_key:<id>`, which names the key that acted, readable in records and lines', () => {
    const record = {
      msg: 'audit mutation revokeApiKey success',
      audit: { actor: `api_key:${id}`, apiKeyId: id },
    };
    expect(filter.redactRecord(record)).toEqual(record);
    expect(filter.redactString(`actor=api_key:${id} outcome=success`)).toBe(
      `actor=api_key:${id} outcome=success`,
    );
    expect(filter.redactString(`{"actor":"api_key:${id}"}`)).toBe(`{"actor":"api_key:${id}"}`);
  });

  it.each([
    [`api_key:${key}`, 'api_key:[STING_API_KEY]'],
    [`actor=api_key:${id} key=${key}`, `actor=api_key:${id} key=[STING_API_KEY]`],
    [`"apiKey":"${key}"`, '"apiKey":"[STING_API_KEY]"'],
    [`X-API-Key: ${key}`, 'X-API-Key: [STING_API_KEY]'],
    [`Authorization: Bearer ${key}`, 'Authorization: Bearer [STING_API_KEY]'],
    [`GET /api/v1/search?q=x&api_key=${key}`, 'GET /api/v1/search?q=x&api_key=[STING_API_KEY]'],
    [`next=%2Fsearch%3Fapi_key%3D${key}`, 'next=%2Fsearch%3Fapi_key%3D[STING_API_KEY]'],
    [`key_${key}`, 'key_[STING_API_KEY]'],
    [`${key}abc`, '[STING_API_KEY]abc'],
    [`sting_sting_${key}`, '[STING_API_KEY]'],
    // Any other value under the name, or the id under another spelling, is still a secret.
    [`api_key: ${id}`, 'api_key: [SECRET]'],
    [`"api_key":"${id}"`, '"api_key":"[SECRET]"'],
    [`api_key=${id}`, 'api_key=[SECRET]'],
    [`API_KEY:${id}`, 'API_KEY:[SECRET]'],
    [`x_api_key:${id}`, 'x_api_key:[SECRET]'],
    [`api_key:${id}/x`, 'api_key:[SECRET]'],
    ['api_key:hunter2-hunter2', 'api_key:[SECRET]'],
  ])('%j becomes %j', (input, expected) => {
    expect(filter.redactString(input)).toBe(expected);
  });

  it('redacts a key in a record wherever it sits, and an id under a secret-named field', () => {
    expect(
      filter.redactRecord({ audit: { actor: `api_key:${key}` }, note: `made ${key}`, api_key: id }),
    ).toEqual({
      audit: { actor: 'api_key:[STING_API_KEY]' },
      note: 'made [STING_API_KEY]',
      api_key: '[SECRET]',
    });
  });
});
