/**
 * Runs refits in a dedicated worker thread so that ingestion (embedding, assignment, Kafka I/O)
 * never waits for UMAP or HDBSCAN. If the worker dies, the pending job fails (the processor keeps
 * the previous topics) and the next job starts a new worker.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../../config/schema.js';
import type { ClusterJob, ClusterJobResult, DescribeJob, DescribeJobResult, Refitter } from './types.js';

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

export class WorkerRefitter implements Refitter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly config: Config) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./refitWorker.js', import.meta.url), { workerData: { config: this.config } });
    w.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`refit worker: ${m.error}`));
    });
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (this.worker === w) fail(new Error(`refit worker exited with code ${code}`));
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private call<T>(op: 'cluster' | 'describe', job: ClusterJob | DescribeJob, transfer: ArrayBuffer[] = []): Promise<T> {
    const w = this.ensure();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ id, op, job }, transfer);
    });
  }

  cluster(job: ClusterJob): Promise<ClusterJobResult> {
    // copied, not transferred: the caller still needs the vectors for the topic centroids
    return this.call('cluster', job);
  }

  describe(job: DescribeJob): Promise<DescribeJobResult> {
    return this.call('describe', job);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
