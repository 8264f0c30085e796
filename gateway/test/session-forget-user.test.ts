// The session cache forgets a person's entries at once (identity announced a change to them): every token and
// API key that resolved to them, and lookups still in flight, while other people's entries stay cached. What it
// can answer without waiting (peek) is what a finished lookup left cached.
import { describe, it, expect } from '@jest/globals';
import type { Viewer } from '@sting/kit';
import { SessionResolver } from '../src/identity/session-resolver.ts';

function resolverOver(owners: Map<string, string>) {
  const lookups: string[] = [];
  const resolver = new SessionResolver(
    async ({ token }) => {
      lookups.push(token);
      const id = owners.get(token);
      return id ? ({ kind: 'user', id, role: 'MEMBER' } as Viewer) : null;
    },
    { ttlMs: 60_000 },
  );
  return { resolver, lookups };
}

describe('SessionResolver.forgetUser', () => {
  it('drops every cached entry of the person, and only theirs', async () => {
    const owners = new Map([
      ['ann-1', 'ann'],
      ['ann-2', 'ann'],
      ['bo-1', 'bo'],
    ]);
    const { resolver, lookups } = resolverOver(owners);
    for (const token of owners.keys()) await resolver.resolve({ token, source: 'bearer' });
    await resolver.resolve({ token: 'ann-1', source: 'cookie' });
    expect(lookups).toHaveLength(4);

    expect(resolver.forgetUser('ann')).toBe(3);
    expect(resolver.size).toBe(1);
    await resolver.resolve({ token: 'ann-1', source: 'bearer' });
    await resolver.resolve({ token: 'bo-1', source: 'bearer' });
    expect(lookups.slice(4)).toEqual(['ann-1']);
    expect(resolver.forgetUser('nobody')).toBe(0);
  });

  it('drops a lookup still in flight, which may have read the old state', async () => {
    let answer: (viewer: Viewer | null) => void = () => undefined;
    const resolver = new SessionResolver(() => new Promise((resolve) => (answer = resolve)), {
      ttlMs: 60_000,
    });
    const pending = resolver.resolve({ token: 't', source: 'bearer' });
    expect(resolver.forgetUser('ann')).toBe(1);
    answer({ kind: 'user', id: 'ann', role: 'ADMIN' });
    await pending;
    expect(resolver.size).toBe(0);
  });
});

describe('SessionResolver.peek', () => {
  it('answers without waiting only what a finished lookup still cached says, and nothing once forgotten', async () => {
    const { resolver } = resolverOver(new Map([['ann-1', 'ann']]));
    const session = { token: 'ann-1', source: 'bearer' } as const;
    expect(resolver.peek(undefined)).toEqual({ viewer: null });
    expect(resolver.peek(session)).toBeUndefined(); // never looked up
    const lookup = resolver.resolve(session);
    expect(resolver.peek(session)).toBeUndefined(); // still in flight
    await lookup;
    expect(resolver.peek(session)).toEqual({ viewer: { kind: 'user', id: 'ann', role: 'MEMBER' } });
    expect(resolver.peek({ token: 'ann-1', source: 'cookie' })).toBeUndefined();
    resolver.forgetUser('ann');
    expect(resolver.peek(session)).toBeUndefined();
  });
});
