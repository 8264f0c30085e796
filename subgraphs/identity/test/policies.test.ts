// Every identity rule, allowed and denied.
import { describe, it, expect } from '@jest/globals';
import type { Viewer } from '@sting/kit';
import { authorize, can } from '../src/domain/policies.ts';

const admin: Viewer = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', role: 'ADMIN' };
const member: Viewer = { kind: 'user', id: '00000000-0000-4000-8000-000000000002', role: 'MEMBER' };
const reader: Viewer = { kind: 'user', id: '00000000-0000-4000-8000-000000000003', role: 'VIEWER' };
const system: Viewer = { kind: 'system' };

describe('identity policies', () => {
  it('lets signed-in users and the system read users, not anonymous callers', () => {
    for (const v of [admin, member, reader, system]) expect(can(v, 'user:read')).toBe(true);
    expect(can(null, 'user:read')).toBe(false);
    expect(() => authorize(null, 'user:read')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('lets only admins create users', () => {
    expect(can(admin, 'user:create')).toBe(true);
    for (const v of [member, reader, system, null]) expect(can(v, 'user:create')).toBe(false);
    expect(() => authorize(member, 'user:create')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('lets only the system resolve sessions, refusing users and anonymous callers alike', () => {
    expect(can(system, 'session:resolve')).toBe(true);
    for (const v of [admin, member, reader]) {
      expect(() => authorize(v, 'session:resolve')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
    expect(() => authorize(null, 'session:resolve')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('holds API keys to their scopes, and never to more than their owner', () => {
    const key = (viewer: Viewer, scopes: ('admin' | 'search')[]): Viewer =>
      viewer.kind === 'user' ? { ...viewer, apiKey: { id: 'k-1', scopes } } : viewer;
    // Every key may read people (the answers it may read name them).
    expect(can(key(reader, []), 'user:read')).toBe(true);
    expect(() => authorize(key(admin, ['search']), 'user:create')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: 'This API key lacks the scope admin' }),
    );
    expect(can(key(admin, ['admin']), 'user:create')).toBe(true);
    // The admin scope gives a member's key nothing the member lacks.
    expect(can(key(member, ['admin']), 'user:create')).toBe(false);
    // Keys are managed with a person's session, never with a key.
    expect(can(member, 'api-key:manage')).toBe(true);
    expect(can(key(member, ['admin']), 'api-key:manage')).toBe(false);
  });
});
