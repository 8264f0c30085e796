// Every honey jar rule, allowed and denied; then the list filter checked against the rules on real rows.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import type { ApiKeyScope, Viewer } from '@sting/kit';
import { HoneyJarTypes, type HoneyJarType } from '../src/entities/honey-jar.ts';
import { listHoneyJars, memberJarIds } from '../src/domain/access.ts';
import { authorize, can, type JarFacts } from '../src/domain/policies.ts';
import { addMember, buildHoneyJar, buildViewer, SYSTEM } from './factories.ts';

const owner = buildViewer('MEMBER');
const admin = buildViewer('ADMIN');
const member = buildViewer('MEMBER');
const stranger = buildViewer('MEMBER');
const reader = buildViewer('VIEWER');

const JAR_ID = '00000000-0000-4000-8000-00000000000a';
const facts = (type: HoneyJarType, isMember = false): JarFacts => ({
  jar: { id: JAR_ID, ownerId: owner.id, type },
  isMember,
});

describe('create', () => {
  it('allows members and admins, refuses viewers, the system and anonymous callers', () => {
    expect(can(owner, 'create')).toBe(true);
    expect(can(admin, 'create')).toBe(true);
    expect(can(reader, 'create')).toBe(false);
    expect(can(SYSTEM, 'create')).toBe(false);
    expect(() => authorize(reader, 'create')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => authorize(null, 'create')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });
});

describe('read', () => {
  it('PUBLIC: every signed-in user, never anonymous', () => {
    for (const v of [owner, admin, stranger, reader, SYSTEM])
      expect(can(v, 'read', facts('PUBLIC'))).toBe(true);
    expect(can(null, 'read', facts('PUBLIC'))).toBe(false);
  });

  it('PRIVATE: the owner and admins only, membership does not count', () => {
    expect(can(owner, 'read', facts('PRIVATE'))).toBe(true);
    expect(can(admin, 'read', facts('PRIVATE'))).toBe(true);
    expect(can(member, 'read', facts('PRIVATE', true))).toBe(false);
    expect(can(stranger, 'read', facts('PRIVATE'))).toBe(false);
  });

  it.each(['TEAM', 'RESTRICTED'] as const)('%s: the owner, admins and explicit members', (type) => {
    expect(can(owner, 'read', facts(type))).toBe(true);
    expect(can(admin, 'read', facts(type))).toBe(true);
    expect(can(member, 'read', facts(type, true))).toBe(true);
    expect(can(reader, 'read', facts(type, true))).toBe(true);
    expect(can(stranger, 'read', facts(type))).toBe(false);
  });
});

describe('update, delete and addMember', () => {
  it.each(['update', 'delete', 'addMember'] as const)(
    '%s: the owner and admins, not members or others',
    (action) => {
      for (const type of HoneyJarTypes) {
        expect(can(owner, action, facts(type))).toBe(true);
        expect(can(admin, action, facts(type))).toBe(true);
        expect(can(member, action, facts(type, true))).toBe(false);
        expect(can(stranger, action, facts(type))).toBe(false);
        expect(can(SYSTEM, action, facts(type))).toBe(false);
      }
      expect(() => authorize(member, action, facts('TEAM', true))).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN' }),
      );
    },
  );
});

describe('API keys', () => {
  const key = (viewer: Viewer, scopes: ApiKeyScope[], honeyJarIds?: string[]): Viewer =>
    viewer.kind === 'user'
      ? { ...viewer, apiKey: { id: 'k-1', scopes, ...(honeyJarIds ? { honeyJarIds } : {}) } }
      : viewer;

  it('need honey-jars:read to list and honey-jars:write to change, named when missing', () => {
    expect(can(key(owner, ['honey-jars:read']), 'list')).toBe(true);
    expect(() => authorize(key(owner, ['search']), 'list')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: 'This API key lacks the scope honey-jars:read' }),
    );
    expect(() => authorize(key(owner, ['honey-jars:read']), 'update', facts('TEAM'))).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        message: 'This API key lacks the scope honey-jars:write',
      }),
    );
    for (const action of ['update', 'delete', 'addMember', 'removeMember'] as const)
      expect(can(key(owner, ['honey-jars:write']), action, facts('TEAM'))).toBe(true);
  });

  it('never do more than their owner', () => {
    expect(can(key(reader, ['honey-jars:write']), 'create')).toBe(false);
    expect(can(key(stranger, ['honey-jars:write', 'admin']), 'update', facts('PUBLIC'))).toBe(false);
    expect(can(key(stranger, ['honey-jars:read']), 'read', facts('PRIVATE'))).toBe(false);
    // An administrator's key is an administrator only with the admin scope.
    expect(can(key(admin, ['honey-jars:read']), 'read', facts('PRIVATE'))).toBe(false);
    expect(can(key(admin, ['honey-jars:read', 'admin']), 'read', facts('PRIVATE'))).toBe(true);
  });

  it('restricted to some jars touch only those, and create none', () => {
    expect(can(key(owner, ['honey-jars:write'], [JAR_ID]), 'update', facts('PRIVATE'))).toBe(true);
    expect(can(key(owner, ['honey-jars:read'], ['other']), 'read', facts('PRIVATE'))).toBe(false);
    expect(can(key(owner, ['honey-jars:write'], ['other']), 'delete', facts('PRIVATE'))).toBe(false);
    expect(can(key(owner, ['honey-jars:write'], [JAR_ID]), 'create')).toBe(false);
    expect(can(key(owner, ['honey-jars:write']), 'create')).toBe(true);
  });
});

describe('the list filter agrees with the read rule', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime(subgraph);
  });
  afterAll(async () => {
    await t.close();
  });

  it('returns exactly the jars `can(read)` allows, for every kind of viewer', async () => {
    const jars = [];
    for (const type of HoneyJarTypes) {
      const jar = await buildHoneyJar(t.em(), owner, { type });
      await addMember(t.em(), jar, member);
      jars.push(jar);
    }
    const restricted = (viewer: Viewer, honeyJarIds: string[]): Viewer =>
      viewer.kind === 'user'
        ? { ...viewer, apiKey: { id: 'k-1', scopes: ['honey-jars:read'], honeyJarIds } }
        : viewer;
    const viewers: Viewer[] = [
      owner,
      admin,
      member,
      stranger,
      reader,
      SYSTEM,
      restricted(owner, [jars[0].id, jars[2].id]),
      restricted(member, [jars[2].id, jars[3].id]),
      { ...admin, apiKey: { id: 'k-2', scopes: ['honey-jars:read'] } },
      { ...admin, apiKey: { id: 'k-3', scopes: ['honey-jars:read', 'admin'], honeyJarIds: [jars[1].id] } },
    ];
    for (const viewer of viewers) {
      const page = await listHoneyJars({ em: t.em(), viewer }, { first: 100 });
      const listed = new Set(page.nodes.map((j) => j.id));
      const memberOf = new Set(viewer.kind === 'user' ? await memberJarIds(t.em(), viewer.id) : []);
      for (const jar of jars) {
        expect([viewer, jar.type, listed.has(jar.id)]).toEqual([
          viewer,
          jar.type,
          can(viewer, 'read', { jar, isMember: memberOf.has(jar.id) }),
        ]);
      }
    }
  });
});
