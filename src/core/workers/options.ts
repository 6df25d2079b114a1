/** The options of a WorkerPool and of one job. */
import type { WorkerPoolEvent } from './events.js';

export type JobPriority = 'normal' | 'low';

export interface WorkerPoolOptions {
  /** names the workers in errors and events, e.g. "embedding worker" */
  name: string;
  /** the worker script (it calls serveJobs) */
  script: URL;
  /** handed to the worker (read it there with workerInput()) */
  workerData?: unknown;
  /** worker threads (default 1) */
  size?: number;
  /**
   * jobs handed to one worker at once (default 1): with 2, a worker finds its next job waiting when it
   * finishes one instead of idling for the round trip (it still runs them one at a time). Only normal
   * jobs queue in a worker; a low-priority one goes to an idle worker.
   */
  jobsPerWorker?: number;
  /** deadline of a job: the longest it may go without a result or a progress message (from the moment its worker starts it); 0 or absent = none */
  timeoutMs?: number;
  /** replacements allowed per restart window (default 6) */
  maxRestarts?: number;
  /** the restart window in ms (default 60,000) */
  restartWindowMs?: number;
  onEvent?: (e: WorkerPoolEvent) => void;
  /** the clock of the restart window (default Date.now; tests pass their own) */
  clock?: () => number;
}

export interface RunOptions {
  /** buffers of the request moved to the worker instead of copied (detached here) */
  transfer?: readonly ArrayBuffer[];
  /** 'low' waits behind every normal job (default 'normal') */
  priority?: JobPriority;
  /** receives the values the worker sends with ctx.progress() */
  onProgress?: (value: unknown) => void;
  /** this job's deadline, instead of the pool's */
  timeoutMs?: number;
}
