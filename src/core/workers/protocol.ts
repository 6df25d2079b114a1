/**
 * The messages between a WorkerPool (main side) and serveJobs (worker side). Job bodies and results
 * are the caller's own types; this layer adds ids, readiness, progress and failures.
 */

/** What a supervised worker gets as its `workerData`. */
export interface WorkerEnvelope<D = unknown> {
  /** Int32Array(1) over this buffer: the termination guard (see nativeSection.ts) */
  guard: SharedArrayBuffer;
  /** the pool's `workerData` option, as given */
  data: D;
}

export type ToWorker<Req = unknown> = { type: 'job'; id: number; body: Req };

export type FromWorker<Res = unknown, Info = unknown> =
  | { type: 'ready'; info: Info }
  | { type: 'loadFailed'; message: string }
  | { type: 'progress'; id: number; value: unknown }
  | { type: 'done'; id: number; result: Res }
  | { type: 'failed'; id: number; message: string; stack?: string };

/** Termination guard states (one Int32 per worker, shared by both sides). */
export const GUARD_FREE = 0;
/** the worker is inside a native call: terminating it now would abort the whole process */
export const GUARD_NATIVE = 1;
/** the supervisor is terminating the worker: it must not enter a native call any more */
export const GUARD_TERMINATING = 2;
