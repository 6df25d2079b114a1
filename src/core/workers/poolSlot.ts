/** What a WorkerPool keeps per job and per worker, and a worker's failure as an error (workerPool.ts). */
import type { Worker } from 'node:worker_threads';
import { WorkerError } from './errors.js';

export interface Job {
  id: number;
  body: unknown;
  transfer: readonly ArrayBuffer[];
  timeoutMs: number;
  onProgress?: (value: unknown) => void;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

export interface Slot {
  worker: Worker;
  threadId: number;
  guard: SharedArrayBuffer;
  exited: Promise<void>;
  ready: boolean;
  gone: boolean;
  /** the job it runs first, then those handed to it that wait */
  jobs: Job[];
  loaded(info: unknown): void;
  loadFailed(e: Error): void;
}

export function jobFailure(name: string, message: string, stack?: string): WorkerError {
  const err = new WorkerError('failed', `${name}: ${message}`);
  if (stack) err.stack = `${err.name}: ${err.message}\n(in the worker) ${stack}`;
  return err;
}
