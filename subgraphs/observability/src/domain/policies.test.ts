// The Beeacon rules as a table: every action for each role, the gateway and an anonymous request.
import { describe, it, expect } from '@jest/globals';
import type { Viewer } from '@sting/kit';
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
});
