// The Beeacon rules as a table: every action for each role, the gateway and an anonymous request.
import { describe, it, expect } from '@jest/globals';
import type { ApiKeyScope, Viewer } from '@sting/kit';
import { authorize, type ObservabilityAction } from './policies.ts';

const viewers: (Viewer | null)[] = [
  { kind: 'user', id: 'a', role: 'ADMIN' },
  { kind: 'user', id: 'm', role: 'MEMBER' },
  { kind: 'user', id: 'v', role: 'VIEWER' },
  { kind: 'system' },
  null,
];

const outcome = (viewer: Viewer | null, action: ObservabilityAction) => {
  try {
    authorize(viewer, action);
    return 'allowed';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('observability policies', () => {
  it.each([
    ['readAlerts', 'allowed', 'FORBIDDEN', 'FORBIDDEN', 'allowed', 'UNAUTHENTICATED'],
    ['raiseAlert', 'allowed', 'FORBIDDEN', 'FORBIDDEN', 'allowed', 'UNAUTHENTICATED'],
    ['manageAlerts', 'allowed', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'UNAUTHENTICATED'],
    ['readStatus', 'allowed', 'allowed', 'allowed', 'allowed', 'UNAUTHENTICATED'],
    ['readStatusDetail', 'allowed', 'FORBIDDEN', 'FORBIDDEN', 'allowed', 'UNAUTHENTICATED'],
    ['readPollenStats', 'allowed', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'UNAUTHENTICATED'],
  ] as const)('%s: admin %s, member %s, viewer %s, system %s, anonymous %s', (action, ...expected) => {
    expect(viewers.map((viewer) => outcome(viewer, action))).toEqual(expected);
  });

  it("holds an administrator's API key to the admin scope, and never lifts a member's key", () => {
    const key = (role: 'ADMIN' | 'MEMBER', scopes: ApiKeyScope[]): Viewer => ({
      kind: 'user',
      id: 'k',
      role,
      apiKey: { id: 'k-1', scopes },
    });
    expect(outcome(key('ADMIN', ['admin']), 'manageAlerts')).toBe('allowed');
    expect(() => authorize(key('ADMIN', ['search']), 'readAlerts')).toThrow(
      'This API key lacks the scope admin',
    );
    expect(outcome(key('MEMBER', ['admin']), 'readPollenStats')).toBe('FORBIDDEN');
    // Every key may read the overall status; the detail needs the admin scope.
    expect(outcome(key('ADMIN', []), 'readStatus')).toBe('allowed');
    expect(outcome(key('ADMIN', ['search']), 'readStatusDetail')).toBe('FORBIDDEN');
  });
});
