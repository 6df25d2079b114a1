/**
 * A helper thread of the parallel local join (parallelJoin.ts): waits for each step the calling
 * thread announces in the control words, runs its share (joinKernel.ts), counts it done, until
 * EXIT. It never needs its event loop; a failure is posted on its `errors` port and flagged in the
 * control words. Loaded as `new URL('./joinWorker.js', import.meta.url)`.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { applyStep, generateStep } from './joinKernel.js';
import { APPLY, DONE, ERROR, EXIT, GENERATE, HI, KIND, LO, READY, SEQ, attachContext, type JoinShared } from './joinShared.js';

const s = workerData as JoinShared & { thread: number; errors: MessagePort };
const control = new Int32Array(s.control);
try {
  const ctx = attachContext(s);
  Atomics.add(control, READY, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    const kind = Atomics.load(control, KIND);
    if (kind === EXIT) break;
    if (kind === GENERATE) generateStep(ctx, s.thread, s.threads, control[LO]!, control[HI]!);
    else if (kind === APPLY) applyStep(ctx, s.thread, s.threads);
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
} catch (err) {
  s.errors.postMessage(err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err));
  Atomics.store(control, ERROR, 1);
  Atomics.notify(control, DONE);
}
