// Sessions of Ory Kratos (`identity.provider: kratos`): the caller's session token or Kratos cookie is checked with
// Kratos's `toSession` (`GET /sessions/whoami`), and the person behind it is synced into identity before use.
import type { IncomingHttpHeaders } from 'node:http';
import type { FrontendApi, Session } from '@ory/client';
import type { Logger } from 'pino';
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import type { ExternalUsers } from './external-users.ts';
import { readKratosSession } from './kratos-viewer.ts';
import { SessionUnavailableError } from './session-resolver.ts';
import { bearerToken, cookieValue, type PresentedSession } from './session-token.ts';

/** Kratos's default session cookie name. */
export const KRATOS_COOKIE = 'ory_kratos_session';

export interface KratosSessionsOptions {
  /** Kratos's public API, e.g. http://127.0.0.1:4433. */
  publicUrl: string;
  users: ExternalUsers;
  logger: Logger;
  /** How long to wait for Kratos before the request fails. Default 5 s. */
  timeoutMs?: number;
}

/** The HTTP status of a failed Kratos call, when Kratos answered at all. */
function statusOf(err: unknown): number | undefined {
  const status = (err as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

export class KratosSessions {
  #frontend: Promise<FrontendApi> | undefined;
  readonly #users: ExternalUsers;
  readonly #logger: Logger;
  readonly #publicUrl: string;
  readonly #timeoutMs: number;

  constructor(options: KratosSessionsOptions) {
    this.#publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#users = options.users;
    this.#logger = options.logger;
  }

  /** Ory's client is loaded with the first session to check, so gateways of other providers never load it. */
  #client(): Promise<FrontendApi> {
    this.#frontend ??= import('@ory/client').then(
      ({ Configuration, FrontendApi }) =>
        new FrontendApi(
          new Configuration({ basePath: this.#publicUrl, baseOptions: { timeout: this.#timeoutMs } }),
        ),
    );
    return this.#frontend;
  }

  /**
   * A session token (`Authorization: Bearer` or Kratos's own `X-Session-Token`) is explicit; the Kratos cookie is the
   * browser's, and the whole Cookie header is kept to be forwarded as it came.
   */
  fromHeaders(headers: IncomingHttpHeaders): PresentedSession | undefined {
    const explicit = bearerToken(headers.authorization) ?? headers['x-session-token'];
    if (typeof explicit === 'string' && explicit.trim()) return { token: explicit.trim(), source: 'bearer' };
    const cookie = headers.cookie;
    return cookie && cookieValue(cookie, KRATOS_COOKIE) ? { token: cookie, source: 'cookie' } : undefined;
  }

  /** The viewer behind a live Kratos session; null when Kratos knows none; SessionUnavailableError otherwise. */
  lookup = async (presented: PresentedSession): Promise<Viewer | null> => {
    const session = await this.#whoami(presented);
    if (!session) return null;
    const reading = readKratosSession(session);
    if ('refused' in reading) {
      this.#logger.info(
        { kratosSession: session.id, reason: reading.refused },
        'Kratos session not accepted',
      );
      return null;
    }
    const { viewer } = reading;
    try {
      await this.#users.ensure({
        id: viewer.id,
        email: viewer.email,
        displayName: viewer.displayName,
        role: viewer.role,
      });
    } catch (err) {
      // Without the User in identity, references to them would resolve to nothing: refuse rather than half-work.
      this.#logger.error({ err, identityId: viewer.id }, 'could not sync the Kratos identity into identity');
      throw new SessionUnavailableError();
    }
    return viewer;
  };

  async #whoami(presented: PresentedSession): Promise<Session | null> {
    const frontend = await this.#client();
    try {
      const { data } = await frontend.toSession(
        presented.source === 'cookie' ? { cookie: presented.token } : { xSessionToken: presented.token },
      );
      return data;
    } catch (err) {
      const status = statusOf(err);
      // 401: no such (or no longer a) session; 403: one that still needs a second factor. Neither signs anyone in.
      if (status === 401 || status === 403) return null;
      // Unreachable, timed out, 5xx, or an answer that means publicUrl is wrong: fail closed, never anonymous.
      this.#logger.error(
        { status, reason: (err as Error).message, kratos: this.#publicUrl },
        status === undefined
          ? 'Kratos is unreachable: sessions cannot be checked'
          : 'Kratos failed to check a session',
      );
      throw new SessionUnavailableError();
    }
  }
}
