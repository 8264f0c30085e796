// Keeps the browser's `sting_session` cookie in step with its session: set when a mutation that begins a session
// succeeds (any root field returning a Session: `login`, `finishPasskeySignIn`), cleared on `logout` (whose token
// the gateway's session cache forgets at once) and when the cookie names no live session. Fields are found as
// they execute (fragments included), like the login rate limit finds them.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GatewayContext } from '../context.ts';
import { clearedSessionCookie, sessionCookie } from '../identity/session-cookie.ts';
import type { SessionResolver } from '../identity/session-resolver.ts';
import { collectFields, fragmentsOf, responseKey as keyOf } from '@sting/kit/graphql/root-fields.ts';

export interface SessionCookieOptions {
  sessions: SessionResolver;
  /** Cookie lifetime when the login selection does not include `expiresAt`. */
  sessionTtlSeconds: number;
}

// The type a sign-in answers with; a root mutation field returning it begins a session.
const SESSION_TYPE = 'Session';

function beginsSession(schema: GraphQLSchema, field: FieldNode): boolean {
  const definition = schema.getMutationType()?.getFields()[field.name.value];
  return definition !== undefined && getNamedType(definition.type).name === SESSION_TYPE;
}

/** The cookie a mutation's result calls for, if any: a new session from a sign-in, or none after `logout`. */
function cookieFromMutation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  data: Record<string, unknown>,
  context: GatewayContext,
  options: SessionCookieOptions,
): string | undefined {
  const secure = context.secure ?? false;
  const fragments = fragmentsOf(document);
  const roots = collectFields(operation.selectionSet, fragments, variables);
  const field = (within: FieldNode | undefined, name: string): FieldNode | undefined =>
    within?.selectionSet
      ? collectFields(
          within.selectionSet,
          fragments as ReadonlyMap<string, FragmentDefinitionNode>,
          variables,
        ).find((f) => f.name.value === name)
      : undefined;
  // The first sign-in field that answered (a document with two sign-ins gets the cookie of the first).
  const login = roots.find((f) => beginsSession(schema, f) && data[keyOf(f)]);
  const session = login && (data[keyOf(login)] as Record<string, unknown> | null | undefined);
  // The token is only known when the client selected it; a sign-in that did not ask for it gets no cookie.
  const tokenField = field(login, 'token');
  if (session && tokenField && typeof session[keyOf(tokenField)] === 'string') {
    const expiresField = field(login, 'expiresAt');
    const expiresAt = expiresField ? Date.parse(String(session[keyOf(expiresField)])) : NaN;
    const maxAge = Number.isNaN(expiresAt) ? options.sessionTtlSeconds : (expiresAt - Date.now()) / 1000;
    return sessionCookie(session[keyOf(tokenField)] as string, maxAge, secure);
  }
  const logout = roots.find((f) => f.name.value === 'logout');
  if (logout && data[keyOf(logout)] === true) {
    if (context.session) options.sessions.forget(context.session.token);
    return clearedSessionCookie(secure);
  }
  return undefined;
}

export function sessionCookiePlugin(options: SessionCookieOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operation, document, request, schema }) {
          const data = response.body.kind === 'single' ? response.body.singleResult.data : undefined;
          let cookie =
            operation?.operation === 'mutation' && data && document
              ? cookieFromMutation(
                  schema,
                  document,
                  operation,
                  request.variables,
                  data,
                  contextValue,
                  options,
                )
              : undefined;
          if (!cookie && contextValue.session?.source === 'cookie' && contextValue.viewer === null)
            cookie = clearedSessionCookie(contextValue.secure ?? false);
          if (cookie) response.http.headers.set('set-cookie', cookie);
        },
      };
    },
  };
}
