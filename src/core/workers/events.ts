/** What a WorkerPool reports about its workers (for logs and metrics). */

export type WorkerPoolEvent =
  | { type: 'timeout'; pool: string; threadId: number; jobId: number; timeoutMs: number }
  | { type: 'crashed'; pool: string; threadId: number; jobId?: number; message: string }
  | { type: 'loadFailed'; pool: string; threadId: number; message: string }
  | { type: 'restarted'; pool: string; threadId: number; restartsInWindow: number }
  | { type: 'restartLimited'; pool: string; maxRestarts: number; windowMs: number; retryAt: number };

/** One line of text for a log that takes strings. */
export function describePoolEvent(e: WorkerPoolEvent): string {
  switch (e.type) {
    case 'timeout':
      return `${e.pool} ${e.threadId}: job ${e.jobId} timed out after ${e.timeoutMs / 1000} s; terminating and replacing the worker`;
    case 'crashed':
      return `${e.pool} ${e.threadId} died${e.jobId !== undefined ? ` during job ${e.jobId}` : ''}: ${e.message}`;
    case 'loadFailed':
      return `${e.pool} ${e.threadId} failed to start: ${e.message}`;
    case 'restarted':
      return `${e.pool} ${e.threadId} started as a replacement (${e.restartsInWindow} restarts in the current window)`;
    case 'restartLimited':
      return `${e.pool}: ${e.maxRestarts} restarts within ${e.windowMs / 1000} s; no more ${Number.isFinite(e.retryAt) ? `until ${new Date(e.retryAt).toISOString()}` : 'at all'}, jobs without a worker fail meanwhile`;
  }
}
