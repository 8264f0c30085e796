// The Retriever behind Bee in both topologies: knowledge's `search`, asked through the runtime's peer link with the
// assertion the gateway signed for this person and audience `knowledge`. Without that assertion there is no search.
import { StingError, type SubgraphPeers } from '@sting/kit';
import type { RetrievalScope, Retriever, SearchHit } from './retriever.ts';

const SEARCH = `query BeeSearch($query: String!, $honeyJarIds: [ID!], $first: Int) {
  search(query: $query, honeyJarIds: $honeyJarIds, first: $first) {
    chunkId chunkVersion score text page
    document { id title }
    honeyJar { id name }
  }
}`;

export class RetrievalError extends Error {
  override readonly name = 'RetrievalError';
}

export class KnowledgeRetriever implements Retriever {
  readonly #peers: SubgraphPeers | undefined;

  constructor(peers: SubgraphPeers | undefined) {
    this.#peers = peers;
  }

  async search(
    query: string,
    honeyJarIds: readonly string[] | null,
    first: number,
    scope: RetrievalScope,
  ): Promise<SearchHit[]> {
    if (!this.#peers) throw new RetrievalError('this process has no link to knowledge');
    if (!scope.delegatedIdentity) throw new RetrievalError('the request carries no assertion for knowledge');
    const result = await this.#peers.execute(
      'knowledge',
      { query: SEARCH, variables: { query, honeyJarIds, first }, operationName: 'BeeSearch' },
      scope.delegatedIdentity,
      scope.requestId,
    );
    if (result.errors?.length) {
      const code = (result.errors[0].extensions as { code?: string } | undefined)?.code;
      // A jar the person may not read, named explicitly, is their mistake; everything else is ours.
      if (code === 'FORBIDDEN' || code === 'BAD_USER_INPUT' || code === 'NOT_FOUND') {
        throw new StingError(code, result.errors[0].message);
      }
      throw new RetrievalError(`knowledge search answered ${code ?? 'an error'}`);
    }
    return ((result.data as { search?: SearchHit[] } | null)?.search ?? []).map((hit) => ({
      ...hit,
      page: hit.page ?? null,
    }));
  }
}
