// Identity assertions: the short-lived JWT the gateway signs for every subgraph fetch. A subgraph trusts this
// and nothing else: missing means anonymous, anything invalid (forged, expired, other audience) is rejected.
// jose is loaded by the first signature or verification and kept: importing this file's types and helpers does not
// load it (a gateway that signs nothing, generic mode, never does).
import type { KeyObject } from 'node:crypto';
import type * as Jose from 'jose';
import { UnauthenticatedError } from '../errors.ts';
import { Roles, type Role, type SubgraphName, type Viewer, type ViewerApiKey } from '../subgraph/module.ts';
import { isApiKeyScope } from '../policy/scopes.ts';

export const ASSERTION_ISSUER = 'sting-gateway';
const ALGORITHM = 'ES256';
const SYSTEM_SUBJECT = 'system';

let jose: typeof Jose | undefined;
const loadJose = async (): Promise<typeof Jose> => (jose ??= await import('jose'));

export interface AssertionInput {
  /** Several audiences only for a delegated assertion (see DELEGATED_IDENTITY_HEADER). */
  audience: SubgraphName | readonly SubgraphName[];
  viewer: Viewer | null;
  /** Omitted for assertions reused across requests: the request id then travels beside the assertion. */
  requestId?: string;
  ttlSeconds: number;
  /**
   * The assertion may only read (claim `ro`): a delegated one, which a subgraph holds to ask another on the person's
   * behalf. The subgraph it is shown to runs queries for it, never a mutation or a subscription.
   */
  readOnly?: boolean;
}

/** What the gateway saw of the person's client (see CLIENT_HEADER). */
export interface ClientInfo {
  /** The caller's address as the gateway determined it (trusting `x-forwarded-for` only when configured). */
  address?: string;
  /** The `User-Agent` header, at most 256 characters. */
  userAgent?: string;
}

const CLIENT_FIELD_MAX = 256;

/** The CLIENT_HEADER value for what the gateway saw. */
export function encodeClientInfo(client: ClientInfo): string {
  return JSON.stringify({
    ...(client.address ? { address: client.address.slice(0, CLIENT_FIELD_MAX) } : {}),
    ...(client.userAgent ? { userAgent: client.userAgent.slice(0, CLIENT_FIELD_MAX) } : {}),
  });
}

/** A CLIENT_HEADER value read back; anything malformed is simply no information. */
export function decodeClientInfo(value: unknown): ClientInfo | undefined {
  if (typeof value !== 'string' || value.length > 4 * CLIENT_FIELD_MAX) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const { address, userAgent } = parsed as Record<string, unknown>;
  const client: ClientInfo = {};
  if (typeof address === 'string' && address) client.address = address.slice(0, CLIENT_FIELD_MAX);
  if (typeof userAgent === 'string' && userAgent) client.userAgent = userAgent.slice(0, CLIENT_FIELD_MAX);
  return client;
}

export interface VerifiedIdentity {
  viewer: Viewer | null;
  requestId?: string;
  /** What the gateway saw of the caller (see CLIENT_HEADER); carried beside the assertion, not inside it. */
  client?: ClientInfo;
  /** See DELEGATED_IDENTITY_HEADER: not verified here (its audience is another subgraph), only carried. */
  delegatedIdentity?: string;
  /** Signed read-only (see AssertionInput.readOnly): queries only. */
  readOnly?: boolean;
}

/** Signs the viewer (or `null`, an anonymous caller) for one subgraph. */
export async function signAssertion(privateKey: KeyObject, input: AssertionInput): Promise<string> {
  const { viewer } = input;
  const claims: Record<string, unknown> = { kind: viewer ? viewer.kind : 'anonymous' };
  if (input.requestId !== undefined) claims.rid = input.requestId;
  if (input.readOnly) claims.ro = true;
  let subject = SYSTEM_SUBJECT;
  if (viewer?.kind === 'user') {
    subject = viewer.id;
    claims.role = viewer.role;
    if (viewer.email !== undefined) claims.email = viewer.email;
    if (viewer.displayName !== undefined) claims.name = viewer.displayName;
    if (viewer.sessionId !== undefined) claims.sid = viewer.sessionId;
    if (viewer.apiKey) {
      claims.akid = viewer.apiKey.id;
      claims.scp = [...viewer.apiKey.scopes];
      if (viewer.apiKey.honeyJarIds) claims.jars = [...viewer.apiKey.honeyJarIds];
    }
  } else if (!viewer) {
    subject = 'anonymous';
  }
  const { SignJWT } = jose ?? (await loadJose());
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(ASSERTION_ISSUER)
    .setAudience(typeof input.audience === 'string' ? input.audience : [...input.audience])
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${input.ttlSeconds}s`)
    .sign(privateKey);
}

/**
 * Verifies an assertion meant for `audience`. `undefined`/empty means no assertion: an anonymous viewer.
 * Throws UnauthenticatedError for anything present but not valid.
 */
export async function verifyAssertion(
  publicKey: KeyObject,
  token: string | undefined | null,
  audience: SubgraphName,
): Promise<VerifiedIdentity> {
  if (!token) return { viewer: null };
  const remembered = verifiedBy(publicKey);
  const key = `${audience} ${token}`;
  const hit = remembered.get(key);
  if (hit) {
    if (Date.now() < hit.validUntil) return copyIdentity(hit.identity);
    remembered.delete(key);
  }
  const { jwtVerify } = jose ?? (await loadJose());
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, publicKey, {
      issuer: ASSERTION_ISSUER,
      audience,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 5,
    }));
  } catch {
    // The reason (signature, expiry, audience) stays server-side: a caller probing assertions learns nothing.
    throw new UnauthenticatedError('Invalid identity assertion');
  }
  const identity = identityOf(payload);
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(key, { identity: copyIdentity(identity), validUntil: Number(payload.exp) * 1000 });
  return identity;
}

/**
 * A copy of an identity that shares nothing changeable with it: what is remembered stays as verified whatever a
 * request does with its copy. What structuredClone gives for these few known fields, at a small part of its cost
 * (it ran for every subgraph request).
 */
export function copyIdentity(identity: VerifiedIdentity): VerifiedIdentity {
  const copy: VerifiedIdentity = { ...identity };
  const viewer = identity.viewer;
  if (viewer?.kind === 'user') {
    const user = { ...viewer };
    if (viewer.apiKey) {
      user.apiKey = { ...viewer.apiKey, scopes: [...viewer.apiKey.scopes] };
      if (viewer.apiKey.honeyJarIds) user.apiKey.honeyJarIds = [...viewer.apiKey.honeyJarIds];
    }
    copy.viewer = user;
  } else if (viewer) copy.viewer = { ...viewer };
  if (identity.client) copy.client = { ...identity.client };
  return copy;
}

/**
 * Assertions already verified, per verification key, by audience and token, each until it expires (without the
 * clock tolerance). The gateway hands out the same token for the first half of its life (AssertionSigner), so a
 * subgraph would otherwise check the same ES256 signature on every request and on every subscription event; the
 * same token verified again gives the same answer until then. Refusals are never kept.
 */
const verified = new WeakMap<KeyObject, Map<string, { identity: VerifiedIdentity; validUntil: number }>>();
const MAX_REMEMBERED = 10_000;

function verifiedBy(publicKey: KeyObject) {
  let remembered = verified.get(publicKey);
  if (!remembered) verified.set(publicKey, (remembered = new Map()));
  return remembered;
}

/** The identity a verified assertion's claims state; throws when they are not a valid one. */
function identityOf(payload: Record<string, unknown>): VerifiedIdentity {
  const identity = viewerOf(payload);
  // Anything but exactly `true` is not read-only: only the gateway signs `ro`, so there is nothing to guess.
  return payload.ro === true ? { ...identity, readOnly: true } : identity;
}

function viewerOf(payload: Record<string, unknown>): VerifiedIdentity {
  const requestId = typeof payload.rid === 'string' ? payload.rid : undefined;
  switch (payload.kind) {
    case 'anonymous':
      return { viewer: null, requestId };
    case 'system':
      return { viewer: { kind: 'system' }, requestId };
    case 'user': {
      if (!Roles.includes(payload.role as Role) || typeof payload.sub !== 'string') break;
      const viewer: Viewer = { kind: 'user', id: payload.sub, role: payload.role as Role };
      if (typeof payload.email === 'string') viewer.email = payload.email;
      if (typeof payload.name === 'string') viewer.displayName = payload.name;
      if (typeof payload.sid === 'string') viewer.sessionId = payload.sid;
      if (payload.akid !== undefined) {
        const apiKey = apiKeyClaims(payload);
        if (!apiKey) break;
        viewer.apiKey = apiKey;
      }
      return { viewer, requestId };
    }
  }
  throw new UnauthenticatedError('Invalid identity assertion');
}

/**
 * The key claims (`akid`, `scp`, `jars`) read back, or undefined when they are malformed (the whole assertion is
 * then refused: a key viewer must never turn into its unrestricted owner). A scope this version does not know is
 * dropped, never guessed at: a key can only lose powers, not gain them.
 */
function apiKeyClaims(payload: Record<string, unknown>): ViewerApiKey | undefined {
  const { akid, scp, jars } = payload;
  if (typeof akid !== 'string' || !akid || !Array.isArray(scp)) return undefined;
  const apiKey: ViewerApiKey = { id: akid, scopes: scp.filter(isApiKeyScope) };
  if (jars !== undefined) {
    if (!Array.isArray(jars) || !jars.every((jar) => typeof jar === 'string')) return undefined;
    apiKey.honeyJarIds = jars as string[];
  }
  return apiKey;
}
