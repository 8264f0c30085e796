// The conversation rules as a table: every action for the owner, another person of each role, the gateway
// and an anonymous request.
import { describe, it, expect } from '@jest/globals';
import type { ApiKeyScope, Viewer } from '@sting/kit';
import { authorize, requireViewer, signedInUser, type ConversationAction } from './policies.ts';

const owner: Viewer = { kind: 'user', id: 'u-owner', role: 'VIEWER' };
const admin: Viewer = { kind: 'user', id: 'u-admin', role: 'ADMIN' };
const member: Viewer = { kind: 'user', id: 'u-member', role: 'MEMBER' };
const system: Viewer = { kind: 'system' };
const conversation = { ownerId: 'u-owner' };

const outcome = (viewer: Viewer | null, action: ConversationAction) => {
  try {
    authorize(viewer, action, action === 'start' ? null : conversation);
    return 'allowed';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('conversation policies', () => {
  it.each([
    ['start', 'allowed', 'allowed', 'allowed', 'FORBIDDEN', 'UNAUTHENTICATED'],
    // Someone else's conversation is NOT_FOUND, as a missing one is: FORBIDDEN would confirm it exists.
    ['read', 'allowed', 'NOT_FOUND', 'NOT_FOUND', 'allowed', 'UNAUTHENTICATED'],
    ['send', 'allowed', 'NOT_FOUND', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED'],
  ] as const)('%s: owner %s, admin %s, member %s, system %s, anonymous %s', (action, ...expected) => {
    expect([owner, admin, member, system, null].map((viewer) => outcome(viewer, action))).toEqual(expected);
  });

  it('holds an API key to bee:chat, naming it when missing, and to its owner', () => {
    const key = (viewer: Viewer, scopes: ApiKeyScope[]): Viewer =>
      viewer.kind === 'user' ? { ...viewer, apiKey: { id: 'k-1', scopes } } : viewer;
    for (const action of ['start', 'read', 'send'] as const) {
      expect(outcome(key(owner, ['bee:chat']), action)).toBe('allowed');
      expect(outcome(key(owner, ['search', 'honey-jars:read']), action)).toBe('FORBIDDEN');
    }
    expect(() => requireViewer(key(owner, ['search']))).toThrow('This API key lacks the scope bee:chat');
    expect(() => signedInUser(key(owner, []))).toThrow('This API key lacks the scope bee:chat');
    expect(signedInUser(key(owner, ['bee:chat']))).toMatchObject({ id: owner.kind === 'user' && owner.id });
    // Another person's conversation stays hidden from their keys too, admin scope or not.
    expect(outcome(key(admin, ['bee:chat', 'admin']), 'read')).toBe('NOT_FOUND');
  });
});
