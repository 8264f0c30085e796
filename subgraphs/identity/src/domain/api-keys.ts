// API keys for scripts and REST clients. A key is `sting_` and 32 random bytes (base64url), handed to its owner
// once; the database keeps its SHA-256, so resolving one is an indexed equality and a leaked table replays nothing.
// A key speaks for its owner as they are now (role, disabled) and narrows them further: scopes, jars, expiry.
import { createHash, randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  lockUntilCommit,
  API_KEY_PREFIX,
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  createEvent,
  enqueueEvent,
  isApiKeyFormat,
  isApiKeyScope,
  refuseDeceptiveCharacters,
  ApiKeyScopes,
  AuthoringScopes,
  scopesForRole,
  isId,
  MAX_JAR_SELECTION,
  Topics,
  EventTypes,
  type ApiKeyScope,
  type Viewer,
} from '@sting/kit';
import { ApiKey } from '../entities/api-key.ts';
import { Session } from '../entities/session.ts';
import { User } from '../entities/user.ts';
import { requireFreshSecondFactor, type AssuranceSettings } from './assurance.ts';
import { recordAuditEvent, type AuditActorInput } from './audit/record.ts';

/** Characters of the key after `sting_` kept in `prefix`: enough to tell keys apart, far too few to guess one. */
const SHOWN_CHARACTERS = 8;
const MAX_NAME_LENGTH = 80;
/** Live (unrevoked) keys one person may hold: a bound on rows, far above any honest need. */
export const MAX_LIVE_KEYS = 100;
/** lastUsedAt (and the `api_key.used` audit record) is written at most this often per key. */
export const USE_RECORD_INTERVAL_MS = 60_000;

/** What an audit record of a request names besides the actor. */
export interface RequestOrigin {
  requestId: string;
  clientAddress?: string;
}

export interface NewApiKey {
  name: string;
  scopes: readonly string[];
  expiresAt?: Date | null;
  honeyJarIds?: readonly string[] | null;
}

export interface CreatedApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  apiKey: ApiKey;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + SHOWN_CHARACTERS), keyHash: hashApiKey(key) };
}

/** The key a viewer authenticated with, if any (see kit's Viewer). */
function keyOf(viewer: Viewer | null) {
  return viewer?.kind === 'user' ? viewer.apiKey : undefined;
}

/** Managing keys takes a signed-in person: a key may not mint, list or revoke keys (a leaked key stays contained). */
function requirePersonInSession(viewer: Viewer | null): asserts viewer is Extract<Viewer, { kind: 'user' }> {
  if (viewer?.kind !== 'user') throw new ForbiddenError();
  if (keyOf(viewer)) throw new ForbiddenError('API keys cannot manage API keys; sign in to do this');
}

function validate(
  input: NewApiKey,
  now: Date,
): { name: string; scopes: ApiKeyScope[]; expiresAt: Date | null; honeyJarIds: string[] | null } {
  const name = input.name.trim();
  refuseDeceptiveCharacters(name, 'name', 'Name');
  if (name.length < 1 || name.length > MAX_NAME_LENGTH)
    throw new BadUserInputError(`Name must be 1 to ${MAX_NAME_LENGTH} characters`, 'name');
  if (input.scopes.length === 0) throw new BadUserInputError('Choose at least one scope', 'scopes');
  const unknown = input.scopes.find((scope) => !isApiKeyScope(scope));
  if (unknown !== undefined)
    throw new BadUserInputError(
      `Unknown scope ${JSON.stringify(unknown.slice(0, 40))}; the scopes are ${ApiKeyScopes.join(', ')}`,
      'scopes',
    );
  const scopes = [...new Set(input.scopes as ApiKeyScope[])];
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && expiresAt.getTime() <= now.getTime())
    throw new BadUserInputError('The expiry must be in the future', 'expiresAt');
  let honeyJarIds: string[] | null = null;
  if (input.honeyJarIds) {
    if (input.honeyJarIds.length === 0)
      throw new BadUserInputError('Name at least one honey jar, or leave the restriction out', 'honeyJarIds');
    if (input.honeyJarIds.length > MAX_JAR_SELECTION)
      throw new BadUserInputError(`At most ${MAX_JAR_SELECTION} honey jars`, 'honeyJarIds');
    if (!input.honeyJarIds.every(isId))
      throw new BadUserInputError('honeyJarIds holds an id that is not valid', 'honeyJarIds');
    honeyJarIds = [...new Set(input.honeyJarIds.map((id) => id.toLowerCase()))];
  }
  return { name, scopes, expiresAt, honeyJarIds };
}

/** One audit record of a key's life (created, used, revoked), in the transaction `tx` of the change. */
function recordKeyEvent(
  tx: EntityManager,
  action: 'api_key.created' | 'api_key.used' | 'api_key.revoked',
  apiKeyId: string,
  actor: AuditActorInput,
  origin: RequestOrigin,
  details: Record<string, unknown>,
): Promise<unknown> {
  return recordAuditEvent(tx, {
    actor,
    action,
    targetType: 'api_key',
    targetId: apiKeyId,
    outcome: 'success',
    requestId: origin.requestId,
    clientAddress: origin.clientAddress,
    details,
  });
}

/**
 * Refuses a key to a session that a password reset or disabling ended while this request was on its way. Checked
 * under the person's keys lock, which those changes take too: either the key is written first and they revoke it,
 * or they commit first and it is refused here. (With Kratos the session is Kratos's: only the standing is known.)
 */
async function requireStillSignedIn(
  tx: EntityManager,
  viewer: Extract<Viewer, { kind: 'user' }>,
  settings: AssuranceSettings,
): Promise<void> {
  const owner = await tx.findOne(User, { id: viewer.id }, { fields: ['disabledAt'] });
  const sessionEnded =
    settings.provider !== 'kratos' &&
    Boolean(viewer.sessionId) &&
    (await tx.count(Session, { id: viewer.sessionId, user: viewer.id })) === 0;
  if (!owner || owner.disabledAt || sessionEnded)
    throw new UnauthenticatedError('Your session has ended; sign in again');
}

export async function createApiKey(
  em: EntityManager,
  viewer: Viewer | null,
  input: NewApiKey,
  options: { settings: AssuranceSettings; origin: RequestOrigin; now?: Date },
): Promise<CreatedApiKey> {
  requirePersonInSession(viewer);
  const now = options.now ?? new Date();
  const valid = validate(input, now);
  if (valid.scopes.includes('admin')) {
    if (viewer.role !== 'ADMIN')
      throw new ForbiddenError('Only administrators can create keys with the admin scope');
    await requireFreshSecondFactor(em, viewer, options.settings);
  }
  const allowed = scopesForRole(viewer.role);
  if (valid.scopes.some((scope) => !allowed.includes(scope)))
    throw new ForbiddenError(
      `A viewer's key cannot hold write scopes (${AuthoringScopes.join(', ')}): the role creates nothing`,
    );
  const { key, prefix, keyHash } = generateApiKey();
  const apiKey = await em.transactional(async (tx) => {
    // Counted under the person's lock: keys made at once would each count the others' as not there yet.
    await lockUntilCommit(tx, 'sting.identity.api-keys', viewer.id);
    await requireStillSignedIn(tx, viewer, options.settings);
    if ((await tx.count(ApiKey, { user: viewer.id, revokedAt: null })) >= MAX_LIVE_KEYS)
      throw new BadUserInputError(`At most ${MAX_LIVE_KEYS} keys at a time; revoke one first`);
    const created = tx.create(ApiKey, {
      user: tx.getReference(User, viewer.id),
      name: valid.name,
      prefix,
      keyHash,
      scopes: valid.scopes,
      honeyJarIds: valid.honeyJarIds,
      expiresAt: valid.expiresAt,
      createdAt: now,
    });
    await tx.flush();
    await recordKeyEvent(tx, 'api_key.created', created.id, { userId: viewer.id }, options.origin, {
      name: valid.name,
      prefix,
      scopes: valid.scopes,
      ...(valid.honeyJarIds ? { honeyJarIds: valid.honeyJarIds } : {}),
      ...(valid.expiresAt ? { expiresAt: valid.expiresAt.toISOString() } : {}),
    });
    return created;
  });
  return { key, apiKey };
}

/** The viewer's own keys, newest first, revoked ones included (with when). */
export async function listApiKeys(em: EntityManager, viewer: Viewer | null): Promise<ApiKey[]> {
  requirePersonInSession(viewer);
  return em.find(ApiKey, { user: viewer.id }, { orderBy: { createdAt: 'desc', id: 'asc' } });
}

/**
 * Revokes one of the viewer's keys (an administrator: anyone's). True when this call revoked it, false when it
 * already was. The gateways hear of it through the outbox and forget the key at once.
 */
export async function revokeApiKey(
  em: EntityManager,
  viewer: Viewer | null,
  id: string,
  origin: RequestOrigin,
): Promise<boolean> {
  requirePersonInSession(viewer);
  if (!isId(id)) throw new BadUserInputError('Not a valid API key id', 'id');
  return em.transactional(async (tx) => {
    const key = await tx.findOne(ApiKey, { id: id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // Someone else's key is "not found" to a non-admin: its existence is not theirs to learn.
    if (!key || (key.user.id !== viewer.id && viewer.role !== 'ADMIN'))
      throw new NotFoundError('API key', id);
    if (key.revokedAt) return false;
    await revoke(tx, key, { userId: viewer.id }, origin);
    return true;
  });
}

/** What took a person's keys with it, besides a revocation by hand (recorded as the audit record's `reason`). */
export type KeysRevokedBy = 'user.password_reset' | 'user.disabled';

/**
 * Marks `key` revoked in the transaction `tx` of the change, announces it (the gateways hear of it through the
 * outbox and forget the key at once) and audits it.
 */
async function revoke(
  tx: EntityManager,
  key: ApiKey,
  actor: AuditActorInput,
  origin: RequestOrigin,
  reason?: KeysRevokedBy,
): Promise<void> {
  key.revokedAt = new Date();
  enqueueEvent(
    tx,
    Topics.identity.apiKeyRevoked,
    createEvent(
      EventTypes.apiKeyRevoked,
      { apiKeyId: key.id, userId: key.user.id },
      { source: 'identity', correlationId: origin.requestId, metadata: { actorId: actor.userId ?? null } },
    ),
  );
  await tx.flush();
  await recordKeyEvent(tx, 'api_key.revoked', key.id, actor, origin, {
    name: key.name,
    prefix: key.prefix,
    ownerId: key.user.id,
    ...(reason ? { reason } : {}),
  });
}

/**
 * Revokes every key of a person that is not revoked yet, in the transaction `tx` of an account change that must
 * leave none working: a password reset (recovering the account) and disabling. A key someone made while holding
 * the account would otherwise outlive the recovery, or come back when the account is enabled again. Each key is
 * announced and audited as a revocation by hand is. Answers how many were revoked.
 */
export async function revokeAllApiKeys(
  tx: EntityManager,
  userId: string,
  actor: AuditActorInput,
  origin: RequestOrigin,
  reason: KeysRevokedBy,
): Promise<number> {
  // createApiKey's lock: a key being made at this moment is either written first (and revoked here) or refused.
  await lockUntilCommit(tx, 'sting.identity.api-keys', userId);
  const live = await tx.find(
    ApiKey,
    { user: userId, revokedAt: null },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  for (const key of live) await revoke(tx, key, actor, origin, reason);
  return live.length;
}

/** A live key and the owner it speaks for. */
export interface ResolvedApiKey {
  apiKey: ApiKey;
  owner: User;
}

/**
 * The live key behind `key` and its owner, or null: unknown, revoked, expired, or its owner disabled. Records the
 * use (lastUsedAt and an `api_key.used` audit record) at most once a minute per key, decided by the row itself so
 * replicas resolving the same key at once write it once.
 */
export async function resolveApiKey(
  em: EntityManager,
  key: string,
  origin: RequestOrigin,
  now = new Date(),
): Promise<ResolvedApiKey | null> {
  if (!isApiKeyFormat(key)) return null;
  const apiKey = await em.findOne(ApiKey, { keyHash: hashApiKey(key) }, { populate: ['user'] });
  if (!apiKey || apiKey.revokedAt) return null;
  if (apiKey.expiresAt && apiKey.expiresAt.getTime() <= now.getTime()) return null;
  const owner = apiKey.user;
  if (owner.disabledAt) return null;
  const due = new Date(now.getTime() - USE_RECORD_INTERVAL_MS);
  if (!apiKey.lastUsedAt || apiKey.lastUsedAt <= due) {
    await em.transactional(async (tx) => {
      const touched = await tx.nativeUpdate(
        ApiKey,
        { id: apiKey.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: due } }] },
        { lastUsedAt: now },
      );
      if (touched !== 1) return; // another replica recorded this minute's use
      const actor = { userId: owner.id, apiKeyId: apiKey.id };
      await recordKeyEvent(tx, 'api_key.used', apiKey.id, actor, origin, { prefix: apiKey.prefix });
    });
  }
  return { apiKey, owner };
}
