// The DateTime scalar: ISO-8601 strings on the wire, Date objects inside.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant in time, ISO-8601 with offset.',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: toDate,
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? toDate(ast.value) : toDate(undefined)),
});
