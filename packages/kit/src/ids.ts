// The one id validator: every record id on the platform is a UUID. Checking before a query keeps junk from
// reaching PostgreSQL as a uuid (an error there would be a 500, not the client's mistake).
import { BadUserInputError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}

/** The id in canonical (lower-case) form, or BAD_USER_INPUT naming `field`. */
export function requireId(id: unknown, field: string): string {
  if (!isId(id)) throw new BadUserInputError(`${field} is not a valid id`, field);
  return id.toLowerCase();
}

/**
 * The most honey jars one list may name: a search's jars, a conversation's selection, an API key's restriction.
 * A selection, never a way to reach every jar (leaving the list out does that), so checking it stays cheap.
 */
export const MAX_JAR_SELECTION = 100;
