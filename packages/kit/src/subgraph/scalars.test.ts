// DateTimeScalar: one canonical ISO-8601 string out, and BAD_USER_INPUT for anything that is not an ISO 8601
// instant within the years 1 to 9999.
import { describe, it, expect } from '@jest/globals';
import { GraphQLError, Kind } from 'graphql';
import { DateTimeScalar } from './scalars.ts';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return err instanceof GraphQLError ? err.extensions.code : 'not a GraphQLError';
  }
  return 'no error';
};

describe('DateTimeScalar', () => {
  it('serializes Date objects and ISO strings to the same UTC string', () => {
    const instant = new Date('2025-01-31T09:30:00.000Z');
    expect(DateTimeScalar.serialize(instant)).toBe('2025-01-31T09:30:00.000Z');
    expect(DateTimeScalar.serialize('2025-01-31T10:30:00+01:00')).toBe('2025-01-31T09:30:00.000Z');
  });

  it('parses variables and literals into Dates', () => {
    expect(DateTimeScalar.parseValue('2025-01-31T09:30:00Z')).toEqual(new Date('2025-01-31T09:30:00Z'));
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2025-01-31T09:30:00Z' })).toEqual(
      new Date('2025-01-31T09:30:00Z'),
    );
  });

  it('reads ISO 8601 dates and date-times, a date or a time without a zone in UTC', () => {
    const read = (text: string) => (DateTimeScalar.parseValue(text) as Date).toISOString();
    expect(read('2026-12-07')).toBe('2026-12-07T00:00:00.000Z');
    expect(read('2026-12-07T10:30')).toBe('2026-12-07T10:30:00.000Z');
    expect(read('2026-12-07T10:30:15.1234')).toBe('2026-12-07T10:30:15.123Z');
    expect(read('2026-12-07T10:30:00+02:00')).toBe('2026-12-07T08:30:00.000Z');
    expect(read('2026-12-07T10:30:00-0530')).toBe('2026-12-07T16:00:00.000Z');
    expect(read('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(read('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
  });

  it.each([
    // Years PostgreSQL refuses or ISO 8601's four digits cannot write: a 500 when they reached the database.
    '+010000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '-271821-04-20T00:00:00Z',
    '0000-12-31T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:00:00-02:00',
    // Not ISO 8601, though new Date() reads them (some in the server's own time zone).
    '1',
    '0',
    '2026',
    'Dec 7 2026',
    'Tue, 01 Dec 2026 00:00:00 GMT',
    '2026-12-07 10:00:00Z',
    // No such day or time.
    '2026-02-30',
    '2026-13-01',
    '2026-12-07T24:00:00Z',
    '2026-12-07T10:00:00+24:00',
  ])('answers BAD_USER_INPUT for %s, as a variable and as a literal', (text) => {
    expect(codeOf(() => DateTimeScalar.parseValue(text))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: text }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('answers BAD_USER_INPUT for a Date outside the years the platform keeps', () => {
    expect(codeOf(() => DateTimeScalar.parseValue(new Date(Date.UTC(275760, 8, 13))))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateTimeScalar.parseValue(new Date(NaN)))).toBe('BAD_USER_INPUT');
  });

  it('answers BAD_USER_INPUT for input that is not an instant', () => {
    expect(codeOf(() => DateTimeScalar.parseValue('yesterday'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateTimeScalar.parseValue(42))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '42' }))).toBe('BAD_USER_INPUT');
  });
});
