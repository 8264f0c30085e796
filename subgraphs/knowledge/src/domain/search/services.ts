// Search's long-lived parts for one subgraph runtime, built once on first use: the Chroma client and jar
// collections, the configured embedder, the ChunkIndex ingestion writes through, and the settings.
import { sharedPromise, type SubgraphRuntime } from '@sting/kit';
import { traceMethods } from '@sting/kit/tracing/index.ts';
import { createEmbedder, type Embedder, type EmbeddingsConfig } from '@sting/llm';
import { PostgresChromaChunkIndex } from './chunk-store.ts';
import type { ChunkIndex } from './chunk-index.ts';
import type { QueryEmbedders } from './search.ts';
import { searchSettingsFrom, type SearchSettings } from './settings.ts';
import { JarVectors, modelKey, type EmbeddingModel } from './vectors.ts';

export interface SearchServices {
  embedder: Embedder;
  vectors: JarVectors;
  chunkIndex: ChunkIndex;
  embedders: QueryEmbedders;
  settings: SearchSettings;
}

const DEFAULT_EMBEDDINGS: EmbeddingsConfig = {
  provider: 'hashing',
  model: 'hashing-v1',
  baseUrl: '',
  apiKey: null,
  dimension: 512,
  timeoutMs: 30_000,
};

interface KnowledgeConfig {
  chroma?: { url?: string };
  knowledge?: { embeddings?: Partial<EmbeddingsConfig> };
}

const built = new WeakMap<SubgraphRuntime, Promise<SearchServices>>();

export function searchServices(runtime: SubgraphRuntime): Promise<SearchServices> {
  return sharedPromise(built, runtime, () => buildSearchServices(runtime));
}

async function buildSearchServices(runtime: SubgraphRuntime): Promise<SearchServices> {
  const config = (runtime.config ?? {}) as KnowledgeConfig;
  const chromaUrl = config.chroma?.url;
  if (!chromaUrl) throw new Error('knowledge needs Chroma: chroma.url is not set');
  const embeddings = { ...DEFAULT_EMBEDDINGS, ...config.knowledge?.embeddings };
  // Inside a trace, each embedding and Chroma call is a span of its own.
  const embedder = traceMethods(await createEmbedder(embeddings), 'embed', ['embed'], {
    'gen_ai.provider.name': embeddings.provider,
  });
  const settings = searchSettingsFrom(runtime.config);
  const vectors = traceMethods(
    new JarVectors(chromaUrl, { efSearch: settings.efSearch, logger: runtime.logger }),
    'chroma',
    ['replaceDocument', 'missing', 'upsert', 'remove', 'mirrorIds', 'removeDocument', 'removeJar', 'nearest'],
  );
  const newEntityManager = () => runtime.orm.em.fork({ clear: true, useContext: false });
  const others = new Map<string, Promise<Embedder | null>>();
  // A jar still served by a collection of an earlier model (until re-indexed) is searched with that model:
  // rebuilt from its record when it needs no server (hashing), or from the configured server's settings.
  const embedders: QueryEmbedders = async (model: EmbeddingModel) => {
    if (modelKey(model) === modelKey(embedder)) return embedder;
    let other = others.get(modelKey(model));
    if (!other) {
      other = createEmbedder({
        ...embeddings,
        provider: model.provider as EmbeddingsConfig['provider'],
        model: model.model,
        dimension: model.dimension,
      }).then(
        (e) => (modelKey(e) === modelKey(model) ? e : null),
        () => null,
      );
      others.set(modelKey(model), other);
    }
    return other;
  };
  return {
    embedder,
    vectors,
    chunkIndex: new PostgresChromaChunkIndex(newEntityManager, vectors, embedder),
    embedders,
    settings,
  };
}
