// Scalars every subgraph declares by the same name and must treat alike, so that composed types agree.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { INSTANT_YEARS, isStorableInstant, parseInstant } from '../instants.ts';

const MESSAGE = `DateTime must be an ISO-8601 date or date-time in the years ${INSTANT_YEARS.min} to ${INSTANT_YEARS.max}, e.g. 2025-01-31T09:30:00Z`;

/** What a client sent, as a Date: ISO 8601 text only, within the years the platform stores (see instants.ts). */
function fromClient(value: unknown): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? parseInstant(value) : null;
  if (!date || !isStorableInstant(date))
    throw new GraphQLError(MESSAGE, { extensions: { code: 'BAD_USER_INPUT' } });
  return date;
}

/** What the platform answers with: a row's Date, or an ISO string a bus event carried. */
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
  parseValue: (value) => fromClient(value),
  parseLiteral: (ast) => fromClient(ast.kind === Kind.STRING ? ast.value : undefined),
});
