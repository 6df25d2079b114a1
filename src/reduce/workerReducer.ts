/**
 * A Reducer that runs its method in a worker thread, so that a UMAP fit (seconds to a minute)
 * never blocks the calling thread's event loop. One short-lived worker per fit (core/workers).
 *
 * Data movement: inputs are posted as typed arrays (structured clone: one binary copy, never
 * JSON); with `transferInputs` the caller's buffers are transferred instead (zero copy, but they
 * are detached afterwards: only for callers that no longer need x and the graph). The result's
 * buffer is always transferred back.
 *
 * Not needed: `transform`. The streaming service assigns new posts with HNSW over the window's
 * embeddings and a neighbour vote, and refits UMAP on the window, so no out-of-sample projection
 * into the 5-d space is ever asked for.
 */
import { WorkerPool } from '../core/workers/workerPool.js';
import { createMatrix, type KnnGraph, type Matrix, type Progress, type SyncReducer } from '../core/types.js';
import { methodInputs, reduceSync } from './reduceSync.js';
import { DEFAULT_REDUCER_SETTINGS, type ReducerMethod, type ReducerSettings } from './settings.js';
import type { ReduceProgress, ReduceRequest, ReduceResult } from './workerProtocol.js';

export interface WorkerReducerOptions {
  /** run in the calling thread (for callers that already are a worker) */
  inline?: boolean;
  /** transfer (detach) the caller's x and k-NN buffers instead of copying them */
  transferInputs?: boolean;
  /** aborting terminates the worker and rejects the running fit (e.g. on shutdown) */
  signal?: AbortSignal;
}

export class WorkerReducer implements SyncReducer {
  readonly method: ReducerMethod;
  readonly settings: Readonly<ReducerSettings>;
  private readonly run: WorkerReducerOptions;
  /** wall time of the last fit, in ms, as measured inside the worker */
  lastFitMs = 0;

  constructor(method: ReducerMethod, settings: Partial<ReducerSettings> = {}, run: WorkerReducerOptions = {}) {
    this.method = method;
    this.settings = { ...DEFAULT_REDUCER_SETTINGS, ...settings };
    this.run = run;
  }

  async fit(x: Matrix, knn: KnnGraph, onProgress?: Progress): Promise<Matrix> {
    if (this.run.inline) return this.fitSync(x, knn, onProgress);
    checkRows(this.method, x, knn);
    const needs = methodInputs(this.method, this.settings);
    const req: ReduceRequest = { method: this.method, settings: { ...this.settings } };
    const transfer: ArrayBuffer[] = [];
    if (needs.knn) {
      req.knn = { n: knn.n, k: knn.k, indices: knn.indices, distances: knn.distances };
      if (this.run.transferInputs) transfer.push(knn.indices.buffer as ArrayBuffer, knn.distances.buffer as ArrayBuffer);
    }
    if (needs.x) {
      req.x = { rows: x.rows, cols: x.cols, data: x.data };
      if (this.run.transferInputs) transfer.push(x.data.buffer as ArrayBuffer);
    }
    const reply = await runInWorker(req, transfer, onProgress, this.run.signal);
    this.lastFitMs = reply.ms;
    return createMatrix(reply.rows, reply.cols, reply.data);
  }

  /** The same fit in the calling thread (for callers that already are a worker: the refit). */
  fitSync(x: Matrix, knn: KnnGraph, onProgress?: Progress): Matrix {
    checkRows(this.method, x, knn);
    const needs = methodInputs(this.method, this.settings);
    const t0 = performance.now();
    const data = reduceSync(this.method, this.settings, needs.knn ? knn : undefined, needs.x ? x : undefined, onProgress);
    this.lastFitMs = performance.now() - t0;
    return createMatrix(x.rows, this.settings.nComponents, data);
  }
}

function checkRows(method: string, x: Matrix, knn: KnnGraph | undefined): void {
  if (knn && knn.n !== x.rows) throw new Error(`${method}: x has ${x.rows} rows but the k-NN graph ${knn.n}`);
}

/** One fit in a worker of its own (a pool of one, closed afterwards; aborting closes it at once). */
async function runInWorker(req: ReduceRequest, transfer: ArrayBuffer[], onProgress?: Progress, signal?: AbortSignal): Promise<ReduceResult> {
  if (signal?.aborted) throw abortError(req.method, signal);
  const pool = new WorkerPool<ReduceRequest, ReduceResult>({ name: `${req.method} worker`, script: new URL('./umapWorker.js', import.meta.url), maxRestarts: 0 });
  const onAbort = (): void => void pool.close(abortError(req.method, signal!));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await pool.run(req, {
      transfer,
      ...(onProgress ? { onProgress: (v) => onProgress((v as ReduceProgress).done, (v as ReduceProgress).total) } : {}),
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

function abortError(method: string, signal: AbortSignal): Error {
  const err = new Error(`${method}: fit aborted${signal.reason ? ` (${String(signal.reason)})` : ''}`);
  err.name = 'AbortError';
  return err;
}
