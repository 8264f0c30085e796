// Stage 3, authentication: who the caller is, from what they presented (a session token or an API key as Bearer, an
// API key as X-API-Key, the session cookie, or the same in graphql-ws `connection_init`), resolved through the
// session cache (entries live `SessionResolver` ttl, 5 s by default; identity's announcements end them sooner). A
// credential sent on purpose that names nothing, or is malformed, answers 401. Open graphql-ws sockets are
// re-checked through the same cache, so they follow a sign-out, a revoked key or a role change as fast as HTTP
// requests do. A request with two `Authorization` headers is refused (400) before anything is looked up.
import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode, StingError } from '@sting/kit/errors.ts';
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import { clientAddress } from '../client-address.ts';
import type { GatewayContext } from '../context.ts';
import { cameOverHttps } from '../identity/session-cookie.ts';
import type { SessionResolver } from '../identity/session-resolver.ts';
import type { PresentedSession } from '../identity/session-token.ts';

/**
 * More than one `Authorization` header in a request. Node keeps only the first in `req.headers`, so the request
 * would be served as whichever credential came first (a session token before a key, say) and the other silently
 * ignored; it is refused as malformed instead: GraphQL answers 400 BAD_REQUEST, REST its 400 error shape.
 */
export class RepeatedAuthorizationError extends StingError {
  constructor() {
    super(ErrorCode.BAD_USER_INPUT, 'Send one Authorization header, not several');
  }
}

export interface Authentication {
  /**
   * Throws InvalidSessionError (401) for a Bearer token naming no live session, SessionUnavailableError (500), and
   * RepeatedAuthorizationError (400) when `headersDistinct` (Node's, every value of each header) holds two
   * `Authorization` headers.
   */
  contextFor(
    headers: IncomingHttpHeaders,
    requestId: string,
    from: {
      encrypted?: boolean;
      remoteAddress?: string;
      frontDoor: string;
      headersDistinct?: NodeJS.Dict<string[]>;
    },
  ): Promise<GatewayContext>;
  /** What a viewer on an open socket has become: unchanged, signed out (null), or changed (role, identity). */
  recheck(
    session: PresentedSession | undefined,
    viewer: Viewer | null,
  ): Promise<'same' | 'signed-out' | 'changed'>;
  /** `recheck`'s answer when it is known without a lookup (the session's viewer is cached); else undefined. */
  recheckNow(
    session: PresentedSession | undefined,
    viewer: Viewer | null,
  ): 'same' | 'signed-out' | 'changed' | undefined;
}

function outcome(now: Viewer | null, viewer: Viewer | null): 'same' | 'signed-out' | 'changed' {
  if (now === null) return viewer === null ? 'same' : 'signed-out';
  return sameViewer(now, viewer) ? 'same' : 'changed';
}

export function sameViewer(a: Viewer | null, b: Viewer | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind !== 'user' || b.kind !== 'user') return a.kind === b.kind;
  return a.id === b.id && a.role === b.role;
}

export function authentication(deps: {
  sessions: SessionResolver;
  fromHeaders(headers: IncomingHttpHeaders): PresentedSession | undefined;
  trustProxy: boolean;
  /** The session cookie is Secure whatever the request came over (the production profile). */
  secureCookies?: boolean;
}): Authentication {
  const recheckNow: Authentication['recheckNow'] = (session, viewer) => {
    if (!session) return 'same'; // an anonymous socket has nothing that can end
    const known = deps.sessions.peek(session);
    return known && outcome(known.viewer, viewer);
  };
  return {
    async contextFor(headers, requestId, from) {
      if ((from.headersDistinct?.authorization?.length ?? 0) > 1) throw new RepeatedAuthorizationError();
      const session = deps.fromHeaders(headers);
      const viewer = await deps.sessions.authenticate(session);
      return {
        viewer,
        requestId,
        session,
        secure:
          (deps.secureCookies ?? false) || cameOverHttps(headers, from.encrypted ?? false, deps.trustProxy),
        clientAddress: clientAddress(headers, from.remoteAddress, deps.trustProxy),
        ...(typeof headers['user-agent'] === 'string'
          ? { userAgent: headers['user-agent'].slice(0, 256) }
          : {}),
        frontDoor: from.frontDoor,
      };
    },
    async recheck(session, viewer) {
      const known = recheckNow(session, viewer);
      if (known) return known;
      let now: Viewer | null;
      try {
        now = await deps.sessions.resolve(session!); // recheckNow answered for no session
      } catch {
        return 'same'; // the provider is unreachable: keep serving what was already allowed, check again later
      }
      return outcome(now, viewer);
    },
    recheckNow,
  };
}
