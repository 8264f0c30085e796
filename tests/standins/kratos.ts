// A stand-in for Ory Kratos in tests, following Kratos's published OpenAPI for the endpoints STING uses. Public API:
// `GET /sessions/whoami` (the session token in `X-Session-Token` or `Authorization: Bearer`, the session cookie in
// `Cookie`; 200 with a Session, 401 with Kratos's error JSON). Admin API (served on the same port): identities
// created (`POST /admin/identities`), read (`GET /admin/identities/{id}`), patched with JSON Patch
// (`PATCH /admin/identities/{id}`), deleted (`DELETE /admin/identities/{id}`), and their sessions revoked
// (`DELETE /admin/identities/{id}/sessions`); errors in Kratos's `errorGeneric` shape. Tests seed the sessions it
// knows; an identity seeded with a session is the same object the admin API changes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';

export const KRATOS_COOKIE = 'ory_kratos_session';

export interface StandInIdentity {
  id: string;
  traits: Record<string, unknown>;
  metadata_public?: Record<string, unknown> | null;
  state?: 'active' | 'inactive';
  schema_id?: string;
  /** The password set at creation (the real Kratos keeps only a hash and never returns it). */
  password?: string;
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
  /** The identity the admin API holds under `id` (seeded or created), as Kratos would return it. */
  identity(id: string): StandInIdentity | undefined;
  /** Admin API requests received, as `METHOD path`. */
  adminRequests(): string[];
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

/** Kratos's `errorGeneric` body. */
function failure(code: number, status: string, message: string, reason?: string) {
  return { error: { code, status, message, ...(reason ? { reason } : {}) } };
}

const NOT_FOUND = failure(404, 'Not Found', 'Unable to locate the resource');

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    return undefined;
  }
}

/** An identity as the admin API returns it (never its credentials). */
function identityView(identity: StandInIdentity) {
  return {
    id: identity.id,
    schema_id: identity.schema_id ?? 'default',
    schema_url: 'http://kratos.invalid/schemas/default',
    state: identity.state ?? 'active',
    traits: identity.traits,
    metadata_public: identity.metadata_public ?? null,
  };
}

type JsonPatchOp = { op?: unknown; path?: unknown; value?: unknown };

/**
 * Applies a JSON Patch (RFC 6902 add / replace / remove) to the fields Kratos lets a patch change: traits,
 * metadata_public, state, schema_id. Anything else (id, credentials, state_changed_at, an unknown op) is a 400.
 */
function applyPatch(identity: StandInIdentity, ops: unknown): string | undefined {
  if (!Array.isArray(ops)) return 'The request body must be a JSON Patch array';
  const next = structuredClone(identityView(identity)) as Record<string, unknown>;
  for (const { op, path, value } of ops as JsonPatchOp[]) {
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      return `Unsupported JSON Patch operation ${String(op)}`;
    if (typeof path !== 'string' || !path.startsWith('/')) return 'A JSON Patch path must start with /';
    const keys = path
      .slice(1)
      .split('/')
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (!['traits', 'metadata_public', 'state', 'schema_id'].includes(keys[0]))
      return `The field ${keys[0]} cannot be patched`;
    let parent: Record<string, unknown> = next;
    for (const key of keys.slice(0, -1)) {
      const child = parent[key];
      if (typeof child !== 'object' || child === null) return `The path ${path} does not exist`;
      parent = child as Record<string, unknown>;
    }
    const last = keys.at(-1)!;
    if (op !== 'add' && !(last in parent)) return `The path ${path} does not exist`;
    if (op === 'remove') delete parent[last];
    else parent[last] = value;
  }
  if (next.state !== 'active' && next.state !== 'inactive') return 'state must be active or inactive';
  if (typeof next.traits !== 'object' || next.traits === null) return 'traits must be an object';
  identity.traits = next.traits as Record<string, unknown>;
  identity.metadata_public = (next.metadata_public as Record<string, unknown> | null) ?? null;
  identity.state = next.state;
  identity.schema_id = String(next.schema_id);
  return undefined;
}

export async function startStandInKratos(): Promise<StandInKratos> {
  const byToken = new Map<string, StoredSession>();
  const byCookie = new Map<string, StoredSession>();
  let failing: number | undefined;
  let whoami = 0;
  const identities = new Map<string, StandInIdentity>();
  const admin: string[] = [];

  /** The admin API: identities and their sessions. Answers true when it handled the request. */
  const adminApi = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const match = /^\/admin\/identities(?:\/([^/]+)(\/sessions)?)?$/.exec(path);
    if (!match) return false;
    admin.push(`${req.method} ${path}`);
    const [, id, sessions] = match;
    if (!id) {
      if (req.method !== 'POST')
        return (send(res, 405, failure(405, 'Method Not Allowed', 'Method not allowed')), true);
      const body = (await jsonBody(req)) as {
        schema_id?: unknown;
        traits?: unknown;
        metadata_public?: unknown;
        state?: unknown;
        credentials?: { password?: { config?: { password?: unknown } } };
      } | null;
      if (
        !body ||
        typeof body.schema_id !== 'string' ||
        typeof body.traits !== 'object' ||
        body.traits === null
      )
        return (
          send(
            res,
            400,
            failure(
              400,
              'Bad Request',
              'The request was malformed or contained invalid parameters',
              'schema_id and traits are required',
            ),
          ),
          true
        );
      const email = (body.traits as { email?: unknown }).email;
      if ([...identities.values()].some((i) => i.traits.email === email))
        return (
          send(
            res,
            409,
            failure(
              409,
              'Conflict',
              'An account with the same identifier (email, phone, username, ...) exists already.',
            ),
          ),
          true
        );
      const password = body.credentials?.password?.config?.password;
      const identity: StandInIdentity = {
        id: randomUUID(),
        schema_id: body.schema_id,
        traits: body.traits as Record<string, unknown>,
        metadata_public: (body.metadata_public as Record<string, unknown> | undefined) ?? null,
        state: body.state === 'inactive' ? 'inactive' : 'active',
        ...(typeof password === 'string' ? { password } : {}),
      };
      identities.set(identity.id, identity);
      return (send(res, 201, identityView(identity)), true);
    }
    const identity = identities.get(id);
    if (!identity) return (send(res, 404, NOT_FOUND), true);
    if (sessions) {
      if (req.method !== 'DELETE')
        return (send(res, 405, failure(405, 'Method Not Allowed', 'Method not allowed')), true);
      for (const session of new Set([...byToken.values(), ...byCookie.values()]))
        if (session.identity.id === id) session.active = false;
      res.writeHead(204).end();
      return true;
    }
    if (req.method === 'GET') return (send(res, 200, identityView(identity)), true);
    if (req.method === 'DELETE') {
      identities.delete(id);
      for (const session of new Set([...byToken.values(), ...byCookie.values()]))
        if (session.identity.id === id) session.active = false;
      res.writeHead(204).end();
      return true;
    }
    if (req.method === 'PATCH') {
      const problem = applyPatch(identity, await jsonBody(req));
      if (problem)
        return (
          send(
            res,
            400,
            failure(400, 'Bad Request', 'The request was malformed or contained invalid parameters', problem),
          ),
          true
        );
      return (send(res, 200, identityView(identity)), true);
    }
    send(res, 405, failure(405, 'Method Not Allowed', 'Method not allowed'));
    return true;
  };

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
    if (failing !== undefined)
      return send(res, failing, { error: { code: failing, message: 'stand-in failure' } });
    if (path.startsWith('/admin/')) {
      adminApi(req, res, path).then(
        (handled) => void (handled || send(res, 404, NOT_FOUND)),
        () => res.destroy(),
      );
      return;
    }
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
      // The admin API sees (and changes) the same identity object.
      if (!identities.has(identity.id)) identities.set(identity.id, identity);
      const stored: StoredSession = { id: randomUUID(), identity, active, expiresAt, issuedAt: new Date() };
      const token = `ory_st_${randomBytes(16).toString('hex')}`;
      const cookie = randomBytes(24).toString('base64url');
      byToken.set(token, stored);
      byCookie.set(cookie, stored);
      return { token, cookie, id: stored.id };
    },
    failWith(status) {
      failing = status;
    },
    whoamiCount: () => whoami,
    identity: (id) => identities.get(id),
    adminRequests: () => [...admin],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
