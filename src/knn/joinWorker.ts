/**
 * A helper thread of the parallel local join (parallelJoin.ts): waits for each step the calling
 * thread announces in the control words, runs its share (joinKernel.ts), counts it done, until
 * EXIT. It never needs its event loop; a failure is posted on its `errors` port and flagged in the
 * control words. Loaded as `new URL('./joinWorker.js', import.meta.url)`.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { applyStep, COUNT_WORDS, generateStep, type JoinContext } from './joinKernel.js';
import { APPLY, DONE, ERROR, EXIT, GENERATE, HI, KIND, LO, READY, SEQ, TREES, attachContext, type JoinShared } from './joinShared.js';
import { NeighbourLists } from './neighbourLists.js';
import { RpForestSeeder, treeRng } from './rpTrees.js';

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
    else if (kind === TREES) trees(ctx, control[LO]!);
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
} catch (err) {
  s.errors.postMessage(err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err));
  Atomics.store(control, ERROR, 1);
  Atomics.notify(control, DONE);
}

/** This thread's share of the trees, into its own lists (the caller merges them). */
function trees(ctx: JoinContext, nTrees: number): void {
  const own = new NeighbourLists(s.n, s.listSize, { from: s.treeLists[s.thread - 1]! });
  const seeder = new RpForestSeeder(ctx.rows, own, s.leafSize);
  for (let u = s.thread; u < nTrees; u += s.threads) seeder.tree(treeRng(s.seed, u));
  ctx.counts[s.thread * COUNT_WORDS + 2] = seeder.distances;
}
