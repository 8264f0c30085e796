// DateTimeScalar: one canonical ISO-8601 string out, and BAD_USER_INPUT for anything that is not an instant.
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

  it('answers BAD_USER_INPUT for input that is not an instant', () => {
    expect(codeOf(() => DateTimeScalar.parseValue('yesterday'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateTimeScalar.parseValue(42))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '42' }))).toBe('BAD_USER_INPUT');
  });
});
