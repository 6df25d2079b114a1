/**
 * A helper thread of the parallel layout optimisation (parallelLayout.ts): takes tickets (a chunk
 * of edges in one epoch, layoutShared.ts) and runs them on the shared layout (Hogwild: no locks on
 * the coordinates, as umap-learn's parallel numba loop) until none is left, then returns. It never
 * needs its event loop while the fit runs; a failure is posted on its `errors` port (which the
 * blocked parent reads synchronously) and flagged in the control words. The parent terminates it
 * after the fit in any case. Loaded as `new URL('./layoutWorker.js', import.meta.url)`.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { lowerThreadPriority } from '../../core/workers/threadPriority.js';
import { epochKernel } from './layoutKernel.js';
import { DONE, ERROR, HELPER_TICKETS, READY, recordThreadStats, runTickets, threadSchedstat, type LayoutShared } from './layoutShared.js';

const s = workerData as LayoutShared & { errors: MessagePort };
const control = new Int32Array(s.control);
try {
  if (s.niceness > 0) lowerThreadPriority(s.niceness);
  Atomics.add(control, READY, 1);
  const start = threadSchedstat();
  runTickets({
    control,
    chunkEpochs: new Int32Array(s.chunkEpochs),
    nChunks: s.nChunks,
    chunkSize: s.chunkSize,
    nEpochs: s.nEpochs,
    initialAlpha: s.initialAlpha,
    kernel: epochKernel(s.dim),
    y: new Float32Array(s.y),
    n: s.n,
    edges: { head: new Int32Array(s.head), tail: new Int32Array(s.tail), epochsPerSample: new Float64Array(s.epochsPerSample) },
    state: {
      nextSample: new Float64Array(s.nextSample),
      nextNegative: new Float64Array(s.nextNegative),
      epochsPerNegative: new Float64Array(s.epochsPerNegative),
      rng: s.rng | 0,
    },
    a: s.a,
    b: s.b,
    gamma: s.gamma,
  }, () => Atomics.add(control, HELPER_TICKETS, 1));
  recordThreadStats(control, s.index, start);
} catch (err) {
  // the parent may be blocked in Atomics.wait: it reads this message with receiveMessageOnPort
  s.errors.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  Atomics.store(control, ERROR, 1);
  Atomics.notify(control, DONE);
}
s.errors.close();
