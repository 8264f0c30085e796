// What the gateway knows about one request once its session is resolved; data sources sign it per fetch.
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import type { PresentedSession } from './identity/session-token.ts';

export interface GatewayContext {
  viewer: Viewer | null;
  requestId: string;
  /** The session token the caller presented, and how (sign-out forgets it; a stale cookie gets cleared). */
  session?: PresentedSession;
  /** The caller reached us over https, so cookies we set must be Secure. */
  secure?: boolean;
  /** Where the request came from (see client-address.ts): anonymous callers are rate-limited by it. */
  clientAddress?: string;
  /** The caller's `User-Agent` (subgraphs see it beside the assertion: session lists, audit records). */
  userAgent?: string;
  /** Which front door the request came through (`graphql`, `graphql-ws`, `rest`, `http`): audit records say so. */
  frontDoor?: string;
  /** Generic mode: the caller's headers the gateway passes on to subgraphs (lower-case names). */
  forwardedHeaders?: Readonly<Record<string, string>>;
  /**
   * Set by the HTTP stages only, on the operation a route runs to take back its own request's write
   * (`HttpCall.undoOperation`): it spends no rate-limit budget.
   */
  unmetered?: boolean;
}
