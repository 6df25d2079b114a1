/**
 * Admission control for searches: at most `concurrency` run at once, at most `queue` wait for a
 * slot, and anything beyond is refused at once (the caller answers 429). A waiter whose client went
 * away leaves the queue. A slot is held until the search itself settles, not until its answer is
 * sent, so searches that outlive their HTTP deadline still count and the embedder never holds more
 * than `concurrency` of them.
 */

export type Release = () => void;

export class QueueAbortedError extends Error {
  constructor(reason: string) {
    super(`search left the queue: ${reason}`);
    this.name = 'QueueAbortedError';
  }
}

export class SearchLimiter {
  private active = 0;
  private readonly waiting: Array<(release: Release) => void> = [];

  constructor(
    readonly concurrency: number,
    readonly queue: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`search concurrency must be an integer >= 1, got ${concurrency}`);
    if (!Number.isInteger(queue) || queue < 0) throw new Error(`search queue must be an integer >= 0, got ${queue}`);
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A slot: resolves with its release function (call it exactly once) when one is free; rejects
   * with QueueAbortedError when `signal` aborts while waiting. Returns undefined, synchronously,
   * when every slot and queue place is taken.
   */
  tryAcquire(signal?: AbortSignal): Promise<Release> | undefined {
    if (signal?.aborted) return Promise.reject(new QueueAbortedError('aborted before queueing'));
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queue) return undefined;
    return new Promise<Release>((resolve, reject) => {
      const grant = (release: Release) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(release);
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new QueueAbortedError(String(signal?.reason ?? 'aborted')));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(this.releaser());
      else this.active--;
    };
  }
}
