/**
 * GET /api/search?q=text&k=10: the topic a text would get and its nearest documents. Admitted by the
 * SearchLimiter (429 with Retry-After when it is full) and bounded by a deadline that counts the
 * wait in the queue (503 with Retry-After when it passes: the embedder gives searches the lowest
 * priority, so under heavy ingestion they wait). A client that hangs up leaves the queue.
 */
import { sendError, sendJson } from './respond.js';
import { QueueAbortedError, type Release } from './searchLimiter.js';
import { intParam } from './target.js';
import type { RouteCall, RouteDeps, SearchResult } from './types.js';

const DEADLINE = 'deadline';

/** Waits for `work`, or for `signal` to abort first (then resolves undefined; `work` goes on). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function timedOut(deps: RouteDeps, { res }: RouteCall): void {
  const seconds = Math.round(deps.searchTimeoutMs / 1000);
  sendError(res, 503, `search did not finish within ${seconds} s (ingestion comes first); try again later`, { 'retry-after': 5 });
}

/** Runs the search in the slot `release` belongs to; the slot is freed when the search settles. */
async function runInSlot(deps: RouteDeps, call: RouteCall, release: Release, signal: AbortSignal, q: string, k: number): Promise<void> {
  const work: Promise<SearchResult> = Promise.resolve()
    .then(() => deps.ctx.search(q, k))
    .finally(release);
  // a search that outlives its answer must not end as an unhandled rejection
  work.catch((e: unknown) => {
    if (signal.aborted) deps.log.warn({ err: e }, 'search failed after its request had ended');
  });
  const result = await unlessAborted(work, signal);
  if (result !== undefined) sendJson(call.res, 200, result);
  else if (signal.reason === DEADLINE) timedOut(deps, call);
}

export async function searchRoute(deps: RouteDeps, call: RouteCall): Promise<void> {
  const { res, query } = call;
  const q = query.get('q');
  if (!q || !q.trim()) return sendError(res, 400, 'missing query parameter q');
  const k = intParam(query, 'k', 1, 50, 10);
  const abort = new AbortController();
  const onClose = () => abort.abort('client closed the connection');
  const timer = setTimeout(() => abort.abort(DEADLINE), deps.searchTimeoutMs);
  res.once('close', onClose);
  try {
    const slot = deps.limiter.tryAcquire(abort.signal);
    if (!slot) {
      const { concurrency, queue } = deps.limiter;
      return sendError(res, 429, `too many searches: ${concurrency} running and ${queue} waiting; try again later`, { 'retry-after': 1 });
    }
    let release: Release;
    try {
      release = await slot;
    } catch (e) {
      if (!(e instanceof QueueAbortedError)) throw e;
      if (abort.signal.reason === DEADLINE) timedOut(deps, call);
      return;
    }
    await runInSlot(deps, call, release, abort.signal, q, k);
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
  }
}
