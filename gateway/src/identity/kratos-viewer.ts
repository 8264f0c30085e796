// Reads a viewer out of an Ory Kratos session (the `Session` of Kratos's `/sessions/whoami`): who the identity is,
// what its traits call it, and the role its public metadata grants.
import type { Session } from '@ory/client';
import { Roles, type Role } from '@sting/kit/subgraph/module.ts';

/** A signed-in person as the gateway asserts them. */
export interface KratosViewer {
  kind: 'user';
  id: string;
  role: Role;
  email: string;
  displayName: string;
  sessionId: string;
}

export type KratosReading = { viewer: KratosViewer } | { refused: string };

// The identity subgraph stores at most this many characters of a name.
const MAX_DISPLAY_NAME = 120;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/** `name` as one string, or Kratos's common `{ first, last }`; the email when the traits name nobody. */
function displayNameOf(traits: Record<string, unknown>, email: string): string {
  const name = traits.name;
  const parts = typeof name === 'string' ? [text(name)] : [text(record(name).first), text(record(name).last)];
  const joined = parts.filter(Boolean).join(' ');
  return (joined || email).slice(0, MAX_DISPLAY_NAME);
}

/** Only Kratos's administrators can write `metadata_public`; anything but a known role reads as MEMBER. */
function roleOf(metadata: unknown): Role {
  const role = record(metadata).role;
  return Roles.includes(role as Role) ? (role as Role) : 'MEMBER';
}

/** The viewer behind a session Kratos returned, or why it does not sign anyone in. */
export function readKratosSession(session: Session, now = Date.now()): KratosReading {
  if (session.active !== true) return { refused: 'session is not active' };
  if (session.expires_at !== undefined) {
    const expires = Date.parse(session.expires_at);
    if (Number.isNaN(expires) || expires <= now) return { refused: 'session has expired' };
  }
  const identity = session.identity;
  if (!identity || typeof identity.id !== 'string') return { refused: 'session has no identity' };
  if (identity.state === 'inactive') return { refused: 'identity is inactive' };
  const traits = record(identity.traits);
  const email = text(traits.email).toLowerCase();
  if (!email) return { refused: 'identity has no email trait' };
  return {
    viewer: {
      kind: 'user',
      id: identity.id,
      role: roleOf(identity.metadata_public),
      email,
      displayName: displayNameOf(traits, email),
      sessionId: session.id,
    },
  };
}
