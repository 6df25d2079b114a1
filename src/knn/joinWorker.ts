/**
 * A helper thread of the parallel NN-descent (parallelJoin.ts): at each step the calling thread
 * announces, claims tickets (joinShared.ts) until none is left, until EXIT. It never needs its
 * event loop; a failure is posted on its `errors` port and flagged in the control words. Loaded as
 * `new URL('./joinWorker.js', import.meta.url)`.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { ERROR, EXIT, SEQ, TICKETS_DONE, attachThread, runTickets, type JoinShared } from './joinShared.js';

const s = workerData as JoinShared & { thread: number; errors: MessagePort };
const control = new Int32Array(s.control);
try {
  const thread = attachThread(s, s.thread);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    if (runTickets(thread) === EXIT) break;
  }
} catch (err) {
  s.errors.postMessage(err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err));
  Atomics.store(control, ERROR, 1);
  Atomics.notify(control, TICKETS_DONE);
}
