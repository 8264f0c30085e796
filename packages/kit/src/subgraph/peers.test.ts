// readableJarNames: the jars honey-jars resolves for the person, by id with their names; its refusals are errors.
import { describe, expect, it } from '@jest/globals';
import type { ExecutionResult } from 'graphql';
import { readableJarNames, type SubgraphPeers } from './peers.ts';

function peersAnswering(result: ExecutionResult) {
  const asked: { target: string; variables: unknown; assertion: string; requestId: string }[] = [];
  const peers: SubgraphPeers = {
    async execute(target, request, assertion, requestId) {
      asked.push({ target, variables: request.variables, assertion, requestId });
      return result;
    },
  };
  return { peers, asked };
}

describe('readableJarNames', () => {
  it('asks honey-jars as the person and keeps only the jars it resolves', async () => {
    const { peers, asked } = peersAnswering({
      data: { _entities: [{ id: 'a', name: 'Apiary' }, null, { id: 'c', name: 'Comb' }] },
    });
    const names = await readableJarNames(peers, ['a', 'b', 'c'], 'assertion-token', 'req-1');
    expect([...names]).toEqual([
      ['a', 'Apiary'],
      ['c', 'Comb'],
    ]);
    expect(asked).toEqual([
      {
        target: 'honey-jars',
        variables: {
          representations: ['a', 'b', 'c'].map((id) => ({ __typename: 'HoneyJar', id })),
        },
        assertion: 'assertion-token',
        requestId: 'req-1',
      },
    ]);
  });

  it('asks nothing for no jars', async () => {
    const { peers, asked } = peersAnswering({ data: { _entities: [] } });
    expect((await readableJarNames(peers, [], 'token', 'req')).size).toBe(0);
    expect(asked).toHaveLength(0);
  });

  it('rejects an error answer, naming its code, and an answer without entities', async () => {
    const refused = peersAnswering({
      errors: [{ message: 'assertion expired', extensions: { code: 'UNAUTHENTICATED' } }] as never,
    });
    await expect(readableJarNames(refused.peers, ['a'], 'token', 'req')).rejects.toThrow(
      'honey-jars answered UNAUTHENTICATED: assertion expired',
    );
    const empty = peersAnswering({ data: null });
    await expect(readableJarNames(empty.peers, ['a'], 'token', 'req')).rejects.toThrow(
      'honey-jars answered no entities',
    );
  });
});
