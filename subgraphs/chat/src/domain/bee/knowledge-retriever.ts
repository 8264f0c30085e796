// The Retriever behind Bee in both topologies: knowledge's `search`, asked through the runtime's peer link with the
// assertion the gateway signed for this person (audiences knowledge and honey-jars), then the cited jars' names
// from honey-jars with the same assertion. Without that assertion there is no search.
import {
  readableJarNames,
  StingError,
  type SubgraphName,
  type SubgraphPeers,
  type SubgraphRequest,
} from '@sting/kit';
import type { RetrievalScope, Retriever, SearchHit } from './retriever.ts';

const SEARCH = `query BeeSearch($query: String!, $honeyJarIds: [ID!], $first: Int) {
  search(query: $query, honeyJarIds: $honeyJarIds, first: $first) {
    chunkId chunkVersion score text page keywordMatch similarity
    document { id title }
    honeyJar { id }
  }
}`;

// Knowledge resolves a Document reference only for a reader of its jar (null otherwise, or when it is gone).
const READABLE_DOCUMENTS = `query BeeCitedDocuments($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Document { id } }
}`;

/**
 * The most characters knowledge's `search` takes. A question may be longer (chat takes 8,000): its search is its
 * beginning, cut at a word, rather than a refusal that failed every such question.
 */
const SEARCH_QUERY_CHARS = 1000;

/** `question` as a search query: whole up to SEARCH_QUERY_CHARS, else its beginning up to the last whole word. */
export function searchQueryOf(question: string): string {
  if (question.length <= SEARCH_QUERY_CHARS) return question;
  const cut = question.slice(0, SEARCH_QUERY_CHARS);
  // A word the cut ran through is left out, unless the beginning is one word.
  const wordEnd = question[SEARCH_QUERY_CHARS] === undefined || /\s/.test(question[SEARCH_QUERY_CHARS]);
  const lastSpace = cut.search(/\s\S*$/);
  return (wordEnd || lastSpace <= 0 ? cut : cut.slice(0, lastSpace)).trimEnd();
}

export class RetrievalError extends Error {
  override readonly name = 'RetrievalError';
}

type RawHit = Omit<SearchHit, 'honeyJar'> & { honeyJar: { id: string } };

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
    const data = await this.#ask('knowledge', scope, {
      query: SEARCH,
      variables: { query: searchQueryOf(query), honeyJarIds, first },
      operationName: 'BeeSearch',
    });
    const hits = (data as { search?: RawHit[] }).search ?? [];
    if (hits.length === 0) return [];
    // The jar's name belongs to honey-jars; resolving the reference there applies its read rule once more.
    const { peers, assertion } = this.#link(scope);
    const names = await readableJarNames(
      peers,
      [...new Set(hits.map((h) => h.honeyJar.id))],
      assertion,
      scope.requestId,
    ).catch((err: Error) => {
      throw new RetrievalError(err.message);
    });
    // A jar honey-jars does not show this person is left out with its passages: never wider than either says.
    return hits
      .filter((hit) => names.has(hit.honeyJar.id))
      .map((hit) => ({
        ...hit,
        page: hit.page ?? null,
        honeyJar: { id: hit.honeyJar.id, name: names.get(hit.honeyJar.id)! },
      }));
  }

  async readableDocuments(
    documentIds: readonly string[],
    scope: RetrievalScope,
  ): Promise<ReadonlySet<string>> {
    if (documentIds.length === 0) return new Set();
    const data = await this.#ask('knowledge', scope, {
      query: READABLE_DOCUMENTS,
      variables: { representations: documentIds.map((id) => ({ __typename: 'Document', id })) },
      operationName: 'BeeCitedDocuments',
    });
    const found = (data as { _entities?: ({ id: string } | null)[] })._entities ?? [];
    return new Set(found.filter((d): d is { id: string } => d !== null).map((d) => d.id));
  }

  #link(scope: RetrievalScope): { peers: SubgraphPeers; assertion: string } {
    if (!this.#peers) throw new RetrievalError('this process has no link to the other subgraphs');
    if (!scope.delegatedIdentity) throw new RetrievalError('the request carries no delegated assertion');
    return { peers: this.#peers, assertion: scope.delegatedIdentity };
  }

  async #ask(target: SubgraphName, scope: RetrievalScope, request: SubgraphRequest): Promise<unknown> {
    const { peers, assertion } = this.#link(scope);
    const result = await peers.execute(target, request, assertion, scope.requestId);
    if (result.errors?.length) {
      const code = (result.errors[0].extensions as { code?: string } | undefined)?.code;
      // A malformed jar id is the person's mistake; everything else is ours.
      if (code === 'BAD_USER_INPUT') throw new StingError(code, result.errors[0].message);
      throw new RetrievalError(`${target} answered ${code ?? 'an error'}: ${result.errors[0].message}`);
    }
    return result.data ?? {};
  }
}
