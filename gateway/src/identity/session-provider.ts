// The one place that knows which identity provider runs (`identity.provider`): it decides where a caller's session
// travels, how it becomes a viewer, and whether the gateway keeps a session cookie of its own.
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { EventBus } from '@sting/kit/bus/event-bus.ts';
import type { StingConfig } from '@sting/kit/config/index.ts';
import type { Federation } from '../federation.ts';
import { ApiKeys, credentialFromConnectionParams, credentialFromHeaders } from './api-keys.ts';
import { builtinSessionLookup } from './builtin-sessions.ts';
import { ExternalUsers } from './external-users.ts';
import { askIdentityAsSystem } from './identity-subgraph.ts';
import { KratosSessions } from './kratos-sessions.ts';
import type { SessionLookup, SessionResolver } from './session-resolver.ts';
import { sessionFromConnectionParams, sessionFromHeaders, type PresentedSession } from './session-token.ts';

/** `identity.provider` and, for Kratos, `identity.kratos.publicUrl`. */
export interface IdentitySettings {
  readonly provider: StingConfig['identity']['provider'];
  readonly kratos?: { readonly publicUrl: string };
}

export interface SessionProvider {
  fromHeaders(headers: IncomingHttpHeaders): PresentedSession | undefined;
  /** graphql-ws `connection_init`: `{ authorization: 'Bearer …' }` or `{ token }`, whichever provider runs. */
  fromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): PresentedSession | undefined;
  lookup: SessionLookup;
  /** The gateway sets and clears its own session cookie (built-in `login` / `logout`). */
  ownsSessionCookie: boolean;
  /** Follows what identity announces about credentials (revoked API keys) until the returned function is called. */
  watch?(bus: EventBus, sessions: SessionResolver): Promise<() => Promise<void>>;
}

/**
 * API keys in front of the identity provider: whichever provider signs people in, their keys live in identity and
 * travel as `Authorization: Bearer sting_…` or `X-API-Key`. A malformed Authorization header answers 401 here for
 * every provider.
 */
function withApiKeys(provider: SessionProvider, keys: ApiKeys, logger: Logger): SessionProvider {
  return {
    fromHeaders: (headers) => credentialFromHeaders(headers, provider.fromHeaders),
    fromConnectionParams: (params) => credentialFromConnectionParams(params, provider.fromConnectionParams),
    lookup: keys.inFrontOf(provider.lookup),
    ownsSessionCookie: provider.ownsSessionCookie,
    watch: (bus, sessions) => keys.watch(bus, sessions, logger),
  };
}

export function sessionProviderFor(
  identity: IdentitySettings,
  deps: { federation: Federation; logger: Logger },
): SessionProvider {
  const askIdentity = askIdentityAsSystem(deps.federation);
  const keys = new ApiKeys(askIdentity);
  if (identity.provider === 'kratos') {
    if (!identity.kratos?.publicUrl)
      throw new Error('identity.kratos.publicUrl: required when provider is kratos');
    const kratos = new KratosSessions({
      publicUrl: identity.kratos.publicUrl,
      users: new ExternalUsers(askIdentity, { provider: 'kratos' }),
      logger: deps.logger,
    });
    return withApiKeys(
      {
        fromHeaders: (headers) => kratos.fromHeaders(headers),
        fromConnectionParams: sessionFromConnectionParams,
        lookup: kratos.lookup,
        ownsSessionCookie: false,
      },
      keys,
      deps.logger,
    );
  }
  return withApiKeys(
    {
      fromHeaders: sessionFromHeaders,
      fromConnectionParams: sessionFromConnectionParams,
      lookup: builtinSessionLookup(askIdentity),
      ownsSessionCookie: true,
    },
    keys,
    deps.logger,
  );
}
