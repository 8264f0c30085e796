// The policy vocabulary: the order of its checks, the errors it answers, and the API key's limits (scope, jar
// restriction, and never more than its owner).
import { describe, it, expect } from '@jest/globals';
import type { Viewer } from '../subgraph/module.ts';
import { definePolicy, MissingScopeError } from './policy.ts';
import { canAuthor, isAdmin, isSignedIn, isSystem, keyAllowsJar, withinKeyJars, type Rule } from './rules.ts';
import { ApiKeyScopes, isApiKeyScope } from './scopes.ts';

interface Facts {
  jar: { id: string; ownerId: string };
}
const isOwner: Rule<Facts | null> = (v, f) => v.kind === 'user' && f?.jar.ownerId === v.id;

const policy = definePolicy<'create' | 'read' | 'update' | 'me' | 'logout' | 'resolve', Facts | null>(
  {
    create: { rules: [canAuthor], scope: 'honey-jars:write', jarScoped: true },
    read: { rules: [isAdmin, isSystem, isOwner], scope: 'honey-jars:read', jarScoped: true },
    update: { rules: [isAdmin, isOwner], scope: 'honey-jars:write', jarScoped: true },
    me: { rules: [isSignedIn], scope: 'any-key' },
    logout: { rules: [isSignedIn], scope: 'no-key' },
    resolve: { rules: [isSystem], scope: 'no-key', gatewayOnly: true },
  },
  {
    jarOf: (facts) => facts?.jar.id,
    refusal: (action) => (action === 'update' ? 'Only the owner' : undefined),
  },
);

const member: Viewer = { kind: 'user', id: 'u-1', role: 'MEMBER' };
const admin: Viewer = { kind: 'user', id: 'u-2', role: 'ADMIN' };
const reader: Viewer = { kind: 'user', id: 'u-3', role: 'VIEWER' };
const system: Viewer = { kind: 'system' };
const own: Facts = { jar: { id: 'j-1', ownerId: 'u-1' } };
const others: Facts = { jar: { id: 'j-2', ownerId: 'u-9' } };
const withKey = (viewer: Viewer, scopes: string[], honeyJarIds?: string[]): Viewer =>
  viewer.kind === 'user'
    ? {
        ...viewer,
        apiKey: { id: 'k-1', scopes: scopes.filter(isApiKeyScope), ...(honeyJarIds ? { honeyJarIds } : {}) },
      }
    : viewer;

const errorOf = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string; details?: unknown };
  }
  return undefined;
};

describe('policy tables', () => {
  it('allows an action when any of its rules does, and nothing for an anonymous caller', () => {
    expect(policy.can(member, 'read', own)).toBe(true);
    expect(policy.can(member, 'read', others)).toBe(false);
    expect(policy.can(admin, 'read', others)).toBe(true);
    expect(policy.can(system, 'read', others)).toBe(true);
    expect(policy.can(null, 'read', own)).toBe(false);
    expect(policy.can(reader, 'create', null)).toBe(false);
    expect(policy.can(member, 'create', null)).toBe(true);
  });

  it('answers UNAUTHENTICATED for anonymous callers, FORBIDDEN (with the row message) for refused people', () => {
    expect(errorOf(() => policy.authorize(null, 'update', own))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(errorOf(() => policy.authorize(member, 'update', others))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only the owner',
    });
    expect(errorOf(() => policy.authorize(reader, 'create', null))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'You are not allowed to do this',
    });
    expect(errorOf(() => policy.authorize(member, 'update', own))).toBeUndefined();
  });

  it('keeps gateway-only actions for the gateway: anonymous callers and people alike are FORBIDDEN', () => {
    expect(errorOf(() => policy.authorize(null, 'resolve', null))).toMatchObject({ code: 'FORBIDDEN' });
    expect(errorOf(() => policy.authorize(admin, 'resolve', null))).toMatchObject({ code: 'FORBIDDEN' });
    expect(policy.can(system, 'resolve', null)).toBe(true);
    // A rule that would allow a person does not open a gateway-only action.
    const loose = definePolicy({
      sync: { rules: [isSignedIn, isSystem], scope: 'no-key', gatewayOnly: true },
    });
    expect(loose.can(admin, 'sync', undefined)).toBe(false);
  });

  it('refuses an API key without the scope with FORBIDDEN naming it', () => {
    const key = withKey(member, ['honey-jars:read']);
    expect(policy.can(key, 'read', own)).toBe(true);
    const error = errorOf(() => policy.authorize(key, 'update', own));
    expect(error).toBeInstanceOf(MissingScopeError);
    expect(error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This API key lacks the scope honey-jars:write',
      details: { scope: 'honey-jars:write' },
    });
    expect(errorOf(() => policy.authorize(withKey(member, []), 'read', own))).toMatchObject({
      message: 'This API key lacks the scope honey-jars:read',
    });
  });

  it('lets every key do any-key actions and none do no-key ones', () => {
    expect(policy.can(withKey(reader, []), 'me', undefined as never)).toBe(true);
    expect(errorOf(() => policy.authorize(withKey(member, [...ApiKeyScopes]), 'logout', null))).toMatchObject(
      {
        code: 'FORBIDDEN',
        message: 'An API key cannot do this; sign in instead',
      },
    );
    expect(policy.can(member, 'logout', null)).toBe(true);
  });

  it('never lets a key do more than its owner', () => {
    const everything = [...ApiKeyScopes];
    // A VIEWER's key with the write scope still cannot create; a MEMBER's key with admin is no administrator.
    expect(policy.can(withKey(reader, everything), 'create', null)).toBe(false);
    expect(policy.can(withKey(member, everything), 'read', others)).toBe(false);
    expect(policy.can(withKey(member, everything), 'update', others)).toBe(false);
    expect(policy.can(withKey(admin, everything), 'update', others)).toBe(true);
  });

  it("gives an administrator's key administrator powers only with the admin scope", () => {
    expect(policy.can(withKey(admin, ['honey-jars:read']), 'read', others)).toBe(false);
    expect(policy.can(withKey(admin, ['honey-jars:read', 'admin']), 'read', others)).toBe(true);
    expect(isAdmin(withKey(admin, ['admin']), null)).toBe(true);
    expect(isAdmin(admin, null)).toBe(true);
  });

  it('holds a restricted key to its jars, also where the rules would allow, and refuses creating a jar', () => {
    const key = withKey(member, ['honey-jars:read', 'honey-jars:write'], ['j-2']);
    const mine = withKey(member, ['honey-jars:read', 'honey-jars:write'], ['j-1']);
    expect(errorOf(() => policy.authorize(key, 'read', own))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This API key is restricted to other honey jars',
    });
    expect(policy.can(mine, 'update', own)).toBe(true);
    expect(policy.can(key, 'create', null)).toBe(false);
    expect(policy.can(withKey(member, ['honey-jars:write']), 'create', null)).toBe(true);
    // The restriction narrows, never widens: the other person's jar stays refused by the rules.
    expect(policy.can(key, 'update', others)).toBe(false);
  });

  it('filters jar ids by the key restriction', () => {
    const key = withKey(member, ['search'], ['j-1', 'j-3']);
    expect(withinKeyJars(key, ['j-1', 'j-2', 'j-3'])).toEqual(['j-1', 'j-3']);
    expect(withinKeyJars(member, ['j-1', 'j-2'])).toEqual(['j-1', 'j-2']);
    expect(withinKeyJars(withKey(member, ['search'], []), ['j-1'])).toEqual([]);
    expect(keyAllowsJar(key, 'j-2')).toBe(false);
    expect(keyAllowsJar(system, 'j-2')).toBe(true);
  });

  it('checks the caller before any record is loaded', () => {
    expect(errorOf(() => policy.authorizeCaller(null, 'update'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      errorOf(() => policy.authorizeCaller(withKey(member, ['honey-jars:read']), 'update')),
    ).toMatchObject({
      message: 'This API key lacks the scope honey-jars:write',
    });
    expect(errorOf(() => policy.authorizeCaller(member, 'resolve'))).toMatchObject({ code: 'FORBIDDEN' });
    // The rules and the jar restriction wait for the record.
    expect(
      errorOf(() => policy.authorizeCaller(withKey(member, ['honey-jars:write'], ['j-9']), 'update')),
    ).toBeUndefined();
  });

  it('accepts any one of a list of scopes and names the first when none is held', () => {
    const search = definePolicy({ search: { rules: [isSignedIn], scope: ['search', 'bee:chat'] } });
    expect(search.can(withKey(member, ['bee:chat']), 'search', undefined)).toBe(true);
    expect(search.can(withKey(member, ['search']), 'search', undefined)).toBe(true);
    expect(errorOf(() => search.authorize(withKey(member, ['admin']), 'search', undefined))).toMatchObject({
      message: 'This API key lacks the scope search',
    });
  });

  it('decides in a fixed order: who, gateway-only, scope, jar restriction, rules', () => {
    const key = withKey(member, ['honey-jars:read'], ['j-9']);
    expect(policy.decide(key, 'update', others)).toEqual({
      allowed: false,
      refusal: 'missing-scope',
      scope: 'honey-jars:write',
    });
    expect(policy.decide(key, 'read', others)).toEqual({ allowed: false, refusal: 'outside-key-jars' });
    expect(policy.decide(member, 'read', others)).toEqual({ allowed: false, refusal: 'rules' });
    expect(policy.decide(null, 'read', others)).toEqual({ allowed: false, refusal: 'anonymous' });
  });
});
