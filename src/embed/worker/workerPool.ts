/**
 * A fixed set of embedding worker threads fed from one queue: each idle worker takes the next
 * batch of texts, so a slow batch (long posts) does not hold up the others. A worker that dies is
 * replaced, and the batch it held fails with the reason.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

interface Job {
  id: number;
  texts: string[];
  resolve: (r: { data: Float32Array; windows: number; tokens: number }) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  ready: boolean;
}

/** Respawns allowed over the pool's life before it gives up (a model that crashes every load). */
const MAX_RESPAWNS = 3;

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private respawns = 0;
  private fatal?: Error;
  dim = 0;

  private constructor(
    private readonly script: URL,
    private readonly config: WorkerConfig,
  ) {}

  /** Starts `count` workers and waits until each has loaded the model. */
  static async start(script: URL, config: WorkerConfig, count: number): Promise<WorkerPool> {
    const pool = new WorkerPool(script, config);
    // Wait for every worker to finish loading, even when one fails: terminating a worker while it
    // is inside onnxruntime's native session setup aborts the whole process.
    const started = await Promise.allSettled(Array.from({ length: count }, () => pool.spawn()));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await pool.close();
      throw failed.reason;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      // Inherit the parent's flags except --input-type, which a worker given a file rejects.
      const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
      const worker = new Worker(this.script, { workerData: this.config, execArgv });
      const slot: Slot = { worker, ready: false };
      this.slots.push(slot);
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          slot.ready = true;
          worker.unref();
          this.dim = m.dim;
          resolve();
          this.pump();
        } else if (m.type === 'result') {
          const job = slot.job;
          slot.job = undefined;
          worker.unref();
          job?.resolve({ data: m.data, windows: m.windows, tokens: m.tokens });
          this.pump();
        } else if (m.type === 'error') {
          if (!slot.ready) {
            this.drop(slot);
            reject(new Error(m.message));
            return;
          }
          const job = slot.job;
          slot.job = undefined;
          worker.unref();
          job?.reject(new Error(`embedding worker: ${m.message}`));
          this.pump();
        }
      });
      worker.on('error', (e) => {
        if (!slot.ready) {
          this.drop(slot);
          reject(e);
        }
        else this.lost(slot, e);
      });
      worker.on('exit', (code) => {
        if (!slot.ready) reject(new Error(`embedding worker exited with code ${code} while loading`));
        else if (!this.closed) this.lost(slot, new Error(`embedding worker exited with code ${code}`));
      });
    });
  }

  /** Removes a worker that failed to load. */
  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  /** A worker died: fail its job, drop it, start another unless it keeps happening. */
  private lost(slot: Slot, e: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    slot.job?.reject(new Error(`embedding worker failed: ${e.message}`));
    slot.job = undefined;
    if (this.closed) return;
    if (this.respawns++ < MAX_RESPAWNS) {
      this.spawn().catch((err: Error) => this.fail(err));
    } else if (this.slots.length === 0) {
      this.fail(new Error(`embedding workers keep failing (last: ${e.message})`));
    }
  }

  private fail(e: Error): void {
    this.fatal = e;
    for (const j of this.queue.splice(0)) j.reject(e);
  }

  /** Embeds one batch of texts on the next free worker. */
  run(texts: string[]): Promise<{ data: Float32Array; windows: number; tokens: number }> {
    if (this.closed) return Promise.reject(new Error('embedder is closed'));
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      // Referenced only while busy: an idle pool never keeps the process alive on its own.
      slot.worker.ref();
      const msg: ToWorker = { type: 'embed', id: job.id, texts: job.texts };
      slot.worker.postMessage(msg);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('embedder closed');
    for (const j of this.queue.splice(0)) j.reject(err);
    for (const s of this.slots) s.job?.reject(err);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
