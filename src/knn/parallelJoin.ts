/**
 * Rounds of local joins on several threads: the calling thread and threads - 1 helpers
 * (joinWorker.ts), started per graph and stopped after it. The points are taken in blocks; for
 * each block every thread generates the updates of its share, then every thread applies the
 * updates of the rows it owns (joinKernel.ts), so the lists are never written by two threads and
 * the result does not depend on timing. The calling thread blocks in Atomics.wait while helpers
 * finish a step (the graph is synchronous anyway); helpers are unref'd and terminated at the end,
 * also when it throws, and with their parent thread (a refit past its deadline).
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { applyStep, COUNT_WORDS, generateStep, pairsPerPoint, type JoinContext } from './joinKernel.js';
import { APPLY, CONTROL_WORDS, DONE, ERROR, EXIT, GENERATE, HI, KIND, LO, SEQ, TREES, countsBuffer, updateBuffers, viewUpdates, type JoinShared } from './joinShared.js';
import { NeighbourLists, type CandidateLists } from './neighbourLists.js';
import { RpForestSeeder, treeRng } from './rpTrees.js';
import type { UnitRows } from './unitRows.js';

/** Update pairs buffered per thread per step (12 bytes each): bounds the memory, sets the block size. */
const UPDATE_CAPACITY = 1 << 20;
/** How long the caller sleeps between looks at a helper's error port while waiting. */
const WAIT_MS = 100;

export class ParallelJoin {
  private readonly control: Int32Array;
  private readonly ctx: JoinContext;
  private readonly helpers: Array<{ worker: Worker; errors: MessagePort }> = [];
  private readonly block: number;
  private readonly treeLists: NeighbourLists[];
  private expected = 0;

  constructor(rows: UnitRows, lists: NeighbourLists, fresh: CandidateLists, old: CandidateLists, private readonly threads: number, private readonly seed: number, private readonly leafSize: number) {
    this.treeLists = Array.from({ length: threads - 1 }, () => new NeighbourLists(lists.n, lists.size, { shared: true }));
    const pairs = pairsPerPoint(fresh.size);
    this.block = Math.max(1, Math.floor(UPDATE_CAPACITY / pairs)) * threads;
    const capacity = Math.ceil(this.block / threads + 1) * pairs;
    const s: JoinShared = {
      control: new SharedArrayBuffer(CONTROL_WORDS * 4),
      counts: countsBuffer(threads),
      rows: rows.handle!,
      n: lists.n,
      listSize: lists.size,
      lists: lists.buffers,
      candidates: fresh.size,
      fresh: fresh.idx.buffer,
      old: old.idx.buffer,
      updates: updateBuffers(threads, capacity),
      threads,
      treeLists: this.treeLists.map((l) => l.buffers),
      seed,
      leafSize,
    };
    this.control = new Int32Array(s.control);
    this.ctx = {
      rows, lists, fresh, old,
      freshList: new Int32Array(fresh.size),
      oldList: new Int32Array(fresh.size),
      updates: s.updates.map(viewUpdates),
      counts: new Int32Array(s.counts),
    };
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(new URL('./joinWorker.js', import.meta.url), { workerData: { ...s, thread: t, errors: port2 }, transferList: [port2] });
      worker.unref();
      worker.on('error', () => undefined); // reported through `errors`, read synchronously
      this.helpers.push({ worker, errors: port1 });
    }
  }

  /**
   * The trees, shared out (tree u on thread u mod threads, each into its own lists), then merged
   * into the lists; returns the distances evaluated.
   */
  trees(nTrees: number, onTree: (built: number) => void): number {
    const seeder = new RpForestSeeder(this.ctx.rows, this.ctx.lists, this.leafSize);
    this.ctx.counts.fill(0);
    this.step(TREES, nTrees, 0, () => {
      for (let u = 0; u < nTrees; u += this.threads) {
        seeder.tree(treeRng(this.seed, u));
        onTree(u + 1);
      }
    });
    const lists = this.ctx.lists;
    let distances = seeder.distances;
    for (let t = 1; t < this.threads; t++) {
      const own = this.treeLists[t - 1]!;
      for (let e = 0; e < own.idx.length; e++) {
        const j = own.idx[e]!;
        if (j >= 0) lists.push(Math.floor(e / own.size), j, own.dist[e]!);
      }
      distances += this.ctx.counts[t * COUNT_WORDS + 2]!;
    }
    return distances;
  }

  /** One round over every point; returns the list entries improved and the distances evaluated. */
  round(): { improved: number; dots: number } {
    const n = this.ctx.lists.n;
    const counts = this.ctx.counts;
    counts.fill(0);
    for (let lo = 0; lo < n; lo += this.block) {
      const hi = Math.min(n, lo + this.block);
      this.step(GENERATE, lo, hi, () => generateStep(this.ctx, 0, this.threads, lo, hi));
      this.step(APPLY, 0, 0, () => applyStep(this.ctx, 0, this.threads));
    }
    let improved = 0;
    let dots = 0;
    for (let t = 0; t < this.threads; t++) {
      improved += counts[t * COUNT_WORDS + 1]!;
      dots += counts[t * COUNT_WORDS + 2]!;
    }
    return { improved, dots };
  }

  close(): void {
    Atomics.store(this.control, KIND, EXIT);
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
    for (const h of this.helpers) {
      void h.worker.terminate();
      h.errors.close();
    }
  }

  /** Announces a step to the helpers, runs this thread's share (`own`), waits for theirs. */
  private step(kind: number, lo: number, hi: number, own: () => void): void {
    const c = this.control;
    Atomics.store(c, KIND, kind);
    Atomics.store(c, LO, lo);
    Atomics.store(c, HI, hi);
    this.expected += this.helpers.length;
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    own();
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done >= this.expected) break;
      if (Atomics.load(c, ERROR)) this.fail();
      Atomics.wait(c, DONE, done, WAIT_MS);
    }
  }

  private fail(): never {
    for (const h of this.helpers) {
      const m = receiveMessageOnPort(h.errors);
      if (m) throw new Error(`nnDescentKnn: a join thread failed: ${String(m.message)}`);
    }
    throw new Error('nnDescentKnn: a join thread failed');
  }
}
