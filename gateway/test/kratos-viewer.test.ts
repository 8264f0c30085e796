// How a Kratos session becomes a viewer: only active, unexpired sessions of active identities with an email; the
// name from `name` (string or first/last); the role only from a known value in `metadata_public.role`.
import { describe, it, expect } from '@jest/globals';
import type { Session } from '@ory/client';
import { readKratosSession } from '../src/identity/kratos-viewer.ts';

const NOW = Date.parse('2026-01-15T12:00:00Z');

function session(overrides: Partial<Session> = {}, identity: Record<string, unknown> = {}): Session {
  return {
    id: 'b0a5c1e2-0000-4000-8000-000000000001',
    active: true,
    expires_at: '2026-01-15T13:00:00Z',
    identity: {
      id: '7f1e3c44-0000-4000-8000-000000000002',
      schema_id: 'default',
      schema_url: 'http://kratos.invalid/schemas/default',
      state: 'active',
      traits: { email: ' bee@example.com ', name: 'Busy Bee' },
      metadata_public: { role: 'ADMIN' },
      ...identity,
    },
    ...overrides,
  } as Session;
}

describe('readKratosSession', () => {
  it('maps identity id, traits, role and session id', () => {
    expect(readKratosSession(session(), NOW)).toEqual({
      viewer: {
        kind: 'user',
        id: '7f1e3c44-0000-4000-8000-000000000002',
        role: 'ADMIN',
        email: 'bee@example.com',
        displayName: 'Busy Bee',
        sessionId: 'b0a5c1e2-0000-4000-8000-000000000001',
      },
    });
  });

  it('refuses inactive, expired and unparseable-expiry sessions, and inactive identities', () => {
    for (const reading of [
      readKratosSession(session({ active: false }), NOW),
      readKratosSession(session({ active: undefined }), NOW),
      readKratosSession(session({ expires_at: '2026-01-15T12:00:00Z' }), NOW),
      readKratosSession(session({ expires_at: 'soon' }), NOW),
      readKratosSession(session({}, { state: 'inactive' }), NOW),
      readKratosSession(session({ identity: undefined }), NOW),
    ])
      expect(reading).toHaveProperty('refused');
  });

  it('needs an email trait', () => {
    expect(readKratosSession(session({}, { traits: { name: 'No Mail' } }), NOW)).toEqual({
      refused: 'identity has no email trait',
    });
  });

  it('joins first and last names, and falls back to the email', () => {
    const named = (name: unknown) => {
      const reading = readKratosSession(session({}, { traits: { email: 'x@example.com', name } }), NOW);
      return 'viewer' in reading ? reading.viewer.displayName : reading.refused;
    };
    expect(named({ first: 'Ada', last: 'Lovelace' })).toBe('Ada Lovelace');
    expect(named({ first: 'Ada' })).toBe('Ada');
    expect(named('  ')).toBe('x@example.com');
    expect(named(undefined)).toBe('x@example.com');
    expect(named('n'.repeat(300))).toHaveLength(120);
  });

  it('grants only ADMIN, MEMBER or VIEWER from metadata_public, MEMBER otherwise', () => {
    const role = (metadata: unknown) => {
      const reading = readKratosSession(session({}, { metadata_public: metadata }), NOW);
      return 'viewer' in reading ? reading.viewer.role : reading.refused;
    };
    expect(role({ role: 'VIEWER' })).toBe('VIEWER');
    expect(role({ role: 'MEMBER' })).toBe('MEMBER');
    expect(role({ role: 'admin' })).toBe('MEMBER');
    expect(role({ role: 'ROOT' })).toBe('MEMBER');
    expect(role(null)).toBe('MEMBER');
    expect(role(undefined)).toBe('MEMBER');
  });
});
