// A stand-in for Ory Kratos's public API in tests: only `GET /sessions/whoami`, following Kratos's published
// OpenAPI for that endpoint (the session token in `X-Session-Token` or `Authorization: Bearer`, the session cookie in
// `Cookie`; 200 with a Session, 401 with Kratos's error JSON). Tests seed the sessions it knows.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';

export const KRATOS_COOKIE = 'ory_kratos_session';

export interface StandInIdentity {
  id: string;
  traits: Record<string, unknown>;
  metadata_public?: Record<string, unknown> | null;
  state?: 'active' | 'inactive';
}

export interface SeededSession {
  /** The session token (`X-Session-Token`), for API clients. */
  token: string;
  /** The value of the `ory_kratos_session` cookie, for browsers. */
  cookie: string;
  id: string;
}

export interface SessionSeed {
  identity: StandInIdentity;
  active?: boolean;
  /** Default: an hour from now. */
  expiresAt?: Date;
}

export interface StandInKratos {
  /** Kratos's public URL, e.g. http://127.0.0.1:43210 (`identity.kratos.publicUrl`). */
  url: string;
  seed(session: SessionSeed): SeededSession;
  /** Answers every request with this status from now on (e.g. 503), or normally again with undefined. */
  failWith(status: number | undefined): void;
  /** `GET /sessions/whoami` requests received. */
  whoamiCount(): number;
  stop(): Promise<void>;
}

interface StoredSession {
  id: string;
  identity: StandInIdentity;
  active: boolean;
  expiresAt: Date;
  issuedAt: Date;
}

/** Kratos's error body (`errorGeneric`) for a request without a valid session. */
function unauthorized() {
  return {
    error: {
      id: 'session_inactive',
      code: 401,
      status: 'Unauthorized',
      reason: 'No active session was found in this request.',
      message: 'request does not have a valid authentication session',
    },
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startStandInKratos(): Promise<StandInKratos> {
  const byToken = new Map<string, StoredSession>();
  const byCookie = new Map<string, StoredSession>();
  let failure: number | undefined;
  let whoami = 0;

  const sessionOf = (req: IncomingMessage): StoredSession | undefined => {
    const header = req.headers['x-session-token'];
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = typeof header === 'string' && header ? header : bearer;
    if (token) return byToken.get(token);
    const cookie = cookieValue(req.headers.cookie, KRATOS_COOKIE);
    return cookie ? byCookie.get(cookie) : undefined;
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://kratos.invalid').pathname;
    if (failure !== undefined)
      return send(res, failure, { error: { code: failure, message: 'stand-in failure' } });
    if (req.method !== 'GET' || path !== '/sessions/whoami')
      return send(res, 404, {
        error: { code: 404, status: 'Not Found', message: 'The requested resource could not be found' },
      });
    whoami++;
    const session = sessionOf(req);
    // Kratos answers 401 for an unknown, inactive or expired session alike.
    if (!session || !session.active || session.expiresAt.getTime() <= Date.now())
      return send(res, 401, unauthorized());
    res.setHeader('x-kratos-authenticated-identity-id', session.identity.id);
    send(res, 200, {
      id: session.id,
      active: session.active,
      expires_at: session.expiresAt.toISOString(),
      authenticated_at: session.issuedAt.toISOString(),
      issued_at: session.issuedAt.toISOString(),
      authenticator_assurance_level: 'aal1',
      identity: {
        id: session.identity.id,
        schema_id: 'default',
        schema_url: 'http://kratos.invalid/schemas/default',
        state: session.identity.state ?? 'active',
        traits: session.identity.traits,
        metadata_public: session.identity.metadata_public ?? null,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    seed({ identity, active = true, expiresAt = new Date(Date.now() + 3_600_000) }) {
      const stored: StoredSession = { id: randomUUID(), identity, active, expiresAt, issuedAt: new Date() };
      const token = `ory_st_${randomBytes(16).toString('hex')}`;
      const cookie = randomBytes(24).toString('base64url');
      byToken.set(token, stored);
      byCookie.set(cookie, stored);
      return { token, cookie, id: stored.id };
    },
    failWith(status) {
      failure = status;
    },
    whoamiCount: () => whoami,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
