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
});
