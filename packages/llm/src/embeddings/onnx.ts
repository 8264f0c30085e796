// A sentence-transformers model in a local folder, run in-process by @huggingface/transformers on
// onnxruntime-node, in a worker thread (onnx-worker.ts): nothing is ever fetched (allowRemoteModels off).
// Vectors are the mean of the token states over the attention mask, normalised, as sentence-transformers
// models are trained to be used.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EmbeddingError } from './errors.ts';
import type { OnnxReply, OnnxWorkerData } from './onnx-worker.ts';
import type { Embedder, EmbeddingsConfig } from './types.ts';

const BATCH = 32;
const WARM_UP_MS = 60_000;
const WORKER_URL = new URL('./onnx-worker.ts', import.meta.url);

/** The ONNX file: sentence-transformers exports put it in onnx/model.onnx; a bare model.onnx also works. */
function locateModel(folder: string): string {
  for (const file of ['config.json', 'tokenizer.json']) {
    if (!existsSync(join(folder, file))) throw new EmbeddingError('onnx', `${file} is missing in ${folder}`);
  }
  if (existsSync(join(folder, 'onnx', 'model.onnx'))) return 'onnx';
  if (existsSync(join(folder, 'model.onnx'))) return '';
  throw new EmbeddingError('onnx', `no onnx/model.onnx or model.onnx in ${folder}`);
}

type Pending = { resolve(vectors: Float32Array[]): void; reject(err: unknown): void };
type Runner = { worker: Promise<Worker>; pending: Map<number, Pending> };

export class OnnxEmbedder implements Embedder {
  readonly provider = 'onnx';
  readonly model: string;
  dimension: number;
  private readonly timeoutMs: number;
  private readonly data: OnnxWorkerData;
  /** The model runner thread (started on first use, again after a timeout) and the batches it owes. */
  private runner: Runner | null = null;
  private nextId = 1;

  private constructor(config: EmbeddingsConfig, folder: string, subfolder: string) {
    this.model = basename(folder);
    this.dimension = config.dimension;
    this.timeoutMs = config.timeoutMs;
    this.data = { root: dirname(folder) + '/', name: basename(folder), subfolder };
  }

  static async load(config: EmbeddingsConfig): Promise<OnnxEmbedder> {
    if (!config.model)
      throw new EmbeddingError('onnx', 'knowledge.embeddings.model must name the model folder');
    const folder = resolve(config.model);
    const embedder = new OnnxEmbedder(config, folder, locateModel(folder));
    try {
      // The first batch also warms the session up (allocations, graph optimisation), which can take far
      // longer than a steady-state batch: it gets a start-up deadline, not timeoutMs.
      const [probe] = await embedder.batch(
        ['dimension probe'],
        undefined,
        Math.max(config.timeoutMs, WARM_UP_MS),
      );
      if (config.dimension > 0 && probe.length !== config.dimension) {
        throw new EmbeddingError(
          'onnx',
          `the model returns ${probe.length} dimensions, config says ${config.dimension}`,
        );
      }
      embedder.dimension = probe.length;
    } catch (err) {
      await embedder.close();
      throw err;
    }
    return embedder;
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      options.signal?.throwIfAborted();
      out.push(...(await this.batch(texts.slice(i, i + BATCH), options.signal)));
    }
    return out;
  }

  /** Ends the worker thread (the model is loaded again on the next embed). */
  async close(): Promise<void> {
    if (this.runner) await this.stop(this.runner);
  }

  private async stop(runner: Runner): Promise<void> {
    if (this.runner === runner) this.runner = null;
    await (await runner.worker.catch(() => null))?.terminate();
  }

  private start(): Runner {
    if (this.runner) return this.runner;
    const pending = new Map<number, Pending>();
    // Rejects whatever this thread still owes; a later thread's batches are not its business.
    const fail = (err: EmbeddingError): void => {
      if (this.runner === runner) this.runner = null;
      for (const waiting of pending.values()) waiting.reject(err);
      pending.clear();
    };
    const runner: Runner = {
      pending,
      worker: new Promise<Worker>((resolve, reject) => {
        const worker = new Worker(WORKER_URL, { workerData: this.data });
        worker.unref();
        worker.once('message', (reply: OnnxReply) => {
          if ('loaded' in reply) return resolve(worker);
          void worker.terminate();
          const why = 'error' in reply ? reply.error : '';
          reject(
            new EmbeddingError(
              'onnx',
              `the model in ${this.data.root}${this.data.name} cannot be loaded: ${why}`,
            ),
          );
        });
        worker.on('message', (reply: OnnxReply) => {
          const waiting = pending.get(reply.id);
          if (!waiting || reply.id === 0) return;
          pending.delete(reply.id);
          if ('vectors' in reply) waiting.resolve(reply.vectors);
          else waiting.reject(new EmbeddingError('onnx', 'error' in reply ? reply.error : 'no answer'));
        });
        // Before the model loaded these reject the start; after, whatever is waiting.
        worker.on('error', (err) => {
          const failure = new EmbeddingError('onnx', `the model runner failed: ${err.message}`);
          reject(failure);
          fail(failure);
        });
        worker.on('exit', () => {
          const failure = new EmbeddingError('onnx', 'the model runner stopped');
          reject(failure);
          fail(failure);
        });
      }),
    };
    runner.worker.catch(() => {
      if (this.runner === runner) this.runner = null;
    });
    this.runner = runner;
    return runner;
  }

  private async batch(
    texts: string[],
    signal?: AbortSignal,
    timeoutMs = this.timeoutMs,
  ): Promise<Float32Array[]> {
    const runner = this.start();
    const worker = await runner.worker;
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        runner.pending.delete(id);
      };
      // onnxruntime cannot interrupt a running batch: past the deadline the thread is ended instead.
      const timer = setTimeout(() => {
        done();
        reject(new EmbeddingError('onnx', `a batch took longer than ${timeoutMs} ms`));
        void this.stop(runner);
      }, timeoutMs);
      const onAbort = (): void => {
        done();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      runner.pending.set(id, {
        resolve: (vectors) => (done(), resolve(vectors)),
        reject: (err) => (done(), reject(err)),
      });
      worker.postMessage({ id, texts });
    });
  }
}
