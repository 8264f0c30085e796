// The onnx embedder's worker thread: loads a sentence-transformers folder with @huggingface/transformers
// (never fetching anything) and answers batches with mean-pooled, normalised vectors. A thread of its own
// keeps inference off the event loop and lets a stuck batch be ended by terminating it.
import { parentPort, workerData } from 'node:worker_threads';

export interface OnnxWorkerData {
  /** Parent directory of the model folder, and the folder's name (transformers' model id). */
  root: string;
  name: string;
  subfolder: string;
}
export type OnnxRequest = { id: number; texts: string[] };
export type OnnxReply =
  | { id: number; vectors: Float32Array[] }
  | { id: number; error: string }
  | { id: 0; loaded: true }
  | { id: 0; error: string };

interface FeatureExtractor {
  (
    texts: string[],
    options: { pooling: 'mean'; normalize: boolean },
  ): Promise<{ dims: number[]; data: Float32Array }>;
}

const { root, name, subfolder } = workerData as OnnxWorkerData;
const port = parentPort!;
let extractor: FeatureExtractor;

try {
  const transformers = await import('@huggingface/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = root;
  extractor = (await transformers.pipeline('feature-extraction', name, {
    local_files_only: true,
    subfolder,
    dtype: 'fp32',
    device: 'cpu',
  })) as unknown as FeatureExtractor;
  port.postMessage({ id: 0, loaded: true } satisfies OnnxReply);
} catch (err) {
  port.postMessage({ id: 0, error: (err as Error).message } satisfies OnnxReply);
}

port.on('message', async ({ id, texts }: OnnxRequest) => {
  try {
    const output = await extractor(texts, { pooling: 'mean', normalize: true });
    const [rows, width] = output.dims;
    const vectors = Array.from({ length: rows }, (_, r) => output.data.slice(r * width, (r + 1) * width));
    port.postMessage(
      { id, vectors } satisfies OnnxReply,
      vectors.map((v) => v.buffer as ArrayBuffer),
    );
  } catch (err) {
    port.postMessage({ id, error: (err as Error).message } satisfies OnnxReply);
  }
});
