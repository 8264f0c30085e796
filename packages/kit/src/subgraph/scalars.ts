// Scalars every subgraph declares by the same name and must treat alike, so that composed types agree.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

/** `DateTime`: ISO-8601 strings in UTC on the wire, Date objects inside. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in time as an ISO-8601 string in UTC, e.g. 2025-01-31T09:30:00.000Z.',
  // Rows carry Date objects while bus events carry ISO strings; both leave as the same canonical string.
  serialize: (value) => toDate(value).toISOString(),
  parseValue: (value) => toDate(value),
  parseLiteral: (ast) => toDate(ast.kind === Kind.STRING ? ast.value : undefined),
});
