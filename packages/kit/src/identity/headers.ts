// The headers that carry identity and request context from the gateway to the subgraphs (assertion.ts signs and
// verifies what travels in IDENTITY_HEADER), kept apart from it: code that only names a header needs none of that.

/** HTTP header carrying the assertion; over graphql-ws it is `connection_init`'s `identity` field. */
export const IDENTITY_HEADER = 'sting-identity';
export const REQUEST_ID_HEADER = 'x-request-id';
/**
 * HTTP header (graphql-ws: `connection_init`'s `client` field) with what the gateway saw of the caller, as JSON
 * `{ "address": …, "userAgent": … }`: informational only (session lists, audit records), never used to decide access.
 */
export const CLIENT_HEADER = 'sting-client';
/** HTTP header (graphql-ws: `connection_init`'s `delegatedIdentity`, renewed by a `ping` whose payload carries a
 * fresh one) with the viewer's assertion for a second subgraph that this one may call on their behalf
 * (chat → knowledge); the receiver forwards it untouched. */
export const DELEGATED_IDENTITY_HEADER = 'sting-delegated-identity';
