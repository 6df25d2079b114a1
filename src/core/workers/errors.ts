/** The errors a supervised worker job can fail with; `code` tells them apart. */

export type WorkerErrorCode =
  /** the job outlived its deadline; its worker was terminated and is being replaced */
  | 'timeout'
  /** the worker died (uncaught error, exit) while holding the job */
  | 'crashed'
  /** the job's handler threw inside the worker; the worker is fine */
  | 'failed'
  /** workers died too often lately; jobs fail fast until the restart window passes */
  | 'restart-limit'
  /** the pool was closed (or aborted) before the job finished */
  | 'closed';

export class WorkerError extends Error {
  override readonly name = 'WorkerError';

  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isWorkerError(e: unknown, code?: WorkerErrorCode): e is WorkerError {
  return e instanceof WorkerError && (code === undefined || e.code === code);
}
