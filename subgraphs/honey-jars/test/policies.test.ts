// Every honey jar rule, allowed and denied; then the list filter checked against the rules on real rows.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import type { Viewer } from '@sting/kit';
import { HoneyJarTypes, type HoneyJarType } from '../src/entities/honey-jar.ts';
import { listHoneyJars, memberJarIds } from '../src/domain/access.ts';
import { authorize, can, type JarFacts } from '../src/domain/policies.ts';
import { addMember, buildHoneyJar, buildViewer, SYSTEM } from './factories.ts';

const owner = buildViewer('MEMBER');
const admin = buildViewer('ADMIN');
const member = buildViewer('MEMBER');
const stranger = buildViewer('MEMBER');
const reader = buildViewer('VIEWER');

const facts = (type: HoneyJarType, isMember = false): JarFacts => ({
  jar: { ownerId: owner.id, type },
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
    const viewers: Viewer[] = [owner, admin, member, stranger, reader, SYSTEM];
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
