/**
 * A Reducer that runs its method in a worker thread, so that a UMAP fit (seconds to a minute)
 * never blocks the calling thread's event loop. One short-lived worker per fit.
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
import { Worker } from 'node:worker_threads';
import { createMatrix, type KnnGraph, type Matrix, type Progress, type Reducer } from '../core/types.js';
import { methodInputs, reduceSync } from './reduceSync.js';
import { DEFAULT_REDUCER_SETTINGS, type ReducerMethod, type ReducerSettings } from './settings.js';
import type { ReduceReply, ReduceRequest } from './workerProtocol.js';

export interface WorkerReducerOptions {
  /** run in the calling thread (for callers that already are a worker) */
  inline?: boolean;
  /** transfer (detach) the caller's x and k-NN buffers instead of copying them */
  transferInputs?: boolean;
  /** aborting terminates the worker and rejects the running fit (e.g. on shutdown) */
  signal?: AbortSignal;
}

export class WorkerReducer implements Reducer {
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
    if (knn && knn.n !== x.rows) throw new Error(`${this.method}: x has ${x.rows} rows but the k-NN graph ${knn.n}`);
    const needs = methodInputs(this.method, this.settings);
    if (this.run.inline) {
      const t0 = performance.now();
      const data = reduceSync(this.method, this.settings, needs.knn ? knn : undefined, needs.x ? x : undefined, onProgress);
      this.lastFitMs = performance.now() - t0;
      return createMatrix(x.rows, this.settings.nComponents, data);
    }
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
}

function runInWorker(
  req: ReduceRequest,
  transfer: ArrayBuffer[],
  onProgress?: Progress,
  signal?: AbortSignal,
): Promise<Extract<ReduceReply, { type: 'result' }>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(req.method, signal));
      return;
    }
    const worker = new Worker(new URL('./umapWorker.js', import.meta.url));
    let settled = false;
    const onAbort = (): void => {
      finish(() => reject(abortError(req.method, signal!)));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (m: ReduceReply) => {
      if (m.type === 'progress') {
        if (!settled) onProgress?.(m.done, m.total);
      } else if (m.type === 'result') {
        finish(() => resolve(m));
      } else {
        const err = new Error(`${req.method} worker: ${m.message}`);
        if (m.stack) err.stack = `${err.message}\n(worker) ${m.stack}`;
        finish(() => reject(err));
      }
    });
    worker.on('error', (e) => finish(() => reject(new Error(`${req.method} worker crashed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`${req.method} worker exited with code ${code} before replying`))));
    worker.postMessage(req, transfer);
  });
}

function abortError(method: string, signal: AbortSignal): Error {
  const err = new Error(`${method}: fit aborted${signal.reason ? ` (${String(signal.reason)})` : ''}`);
  err.name = 'AbortError';
  return err;
}
