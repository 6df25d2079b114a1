/**
 * NN-descent on several threads: the calling thread and threads - 1 helpers (joinWorker.ts),
 * started per graph, stopped after it. The trees are tickets (each into the lists of the thread
 * that takes it; the helpers' lists merged into the caller's after); each round of local joins
 * takes the points in blocks, a block's chunks are tickets
 * (updates generated against the lists as they were), then so are ranges of the points whose lists
 * take the block's updates, in chunk order (joinKernel.ts). Any thread may run any ticket (joinShared.ts): the
 * result does not depend on timing, and a slow helper only takes fewer tickets. The calling thread
 * blocks in Atomics.wait only for tickets a helper holds (the graph is synchronous anyway);
 * helpers are unref'd and terminated at the end, also when it throws, and with their parent thread
 * (a refit past its deadline).
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { pairsPerPoint } from './joinKernel.js';
import { APPLY, CHUNK, CONTROL_WORDS, DOTS, ERROR, EXIT, FLOATS, GENERATE, IMPROVED, PARAM_WORDS, PARAMS, SEQ, TICKET, TICKETS_DONE, TREES, runTickets, viewUpdates, type JoinShared, type Thread } from './joinShared.js';
import { NeighbourLists, type CandidateLists } from './neighbourLists.js';
import { RpForestSeeder } from './rpTrees.js';
import type { UnitRows } from './unitRows.js';

/** Update pairs buffered per block (12 bytes each): bounds the memory, sets the block size. */
const UPDATE_CAPACITY = 1 << 21;
/** How long the caller sleeps between looks at the helpers' error flag while waiting. */
const WAIT_MS = 100;

export class ParallelJoin {
  private readonly control: Int32Array;
  private readonly own: Thread;
  private readonly helpers: Array<{ worker: Worker; errors: MessagePort }> = [];
  private readonly blockChunks: number;
  /** ranges of points the updates of a block are applied in (and the float distances computed): one per thread */
  private readonly applyTickets: number;
  private step = 0;

  private readonly threadLists: NeighbourLists[];

  constructor(rows: UnitRows, lists: NeighbourLists, fresh: CandidateLists, old: CandidateLists, threads: number, o: { seed: number; leafSize: number }) {
    const chunkCapacity = CHUNK * pairsPerPoint(fresh.size);
    this.blockChunks = Math.max(1, Math.min(0xffff, Math.floor(UPDATE_CAPACITY / chunkCapacity)));
    this.applyTickets = threads;
    const cap = this.blockChunks * chunkCapacity;
    const s: JoinShared = {
      control: new SharedArrayBuffer(CONTROL_WORDS * 4),
      rows: rows.handle!,
      n: lists.n,
      listSize: lists.size,
      lists: lists.buffers,
      candidates: fresh.size,
      fresh: fresh.idx.buffer,
      old: old.idx.buffer,
      updates: { p: new SharedArrayBuffer(cap * 4), q: new SharedArrayBuffer(cap * 4), d: new SharedArrayBuffer(cap * 4) },
      chunkCapacity,
      chunkCounts: new SharedArrayBuffer(this.blockChunks * 4),
      threadLists: [],
      seed: o.seed,
      leafSize: o.leafSize,
    };
    this.threadLists = Array.from({ length: threads - 1 }, () => new NeighbourLists(lists.n, lists.size, { shared: true }));
    s.threadLists = this.threadLists.map((l) => l.buffers);
    this.control = new Int32Array(s.control);
    this.own = {
      control: this.control,
      ctx: { rows, lists, fresh, old, batch: 0, marks: { mark: new Int32Array(lists.n), tag: 0 }, updates: viewUpdates(s.updates), chunkCapacity },
      chunkCounts: new Int32Array(s.chunkCounts),
      seeder: new RpForestSeeder(rows, lists, o.leafSize),
      seed: o.seed,
    };
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(new URL('./joinWorker.js', import.meta.url), { workerData: { ...s, thread: t, errors: port2 }, transferList: [port2] });
      worker.unref();
      worker.on('error', () => undefined); // reported through `errors`, read synchronously
      this.helpers.push({ worker, errors: port1 });
    }
  }

  /** Builds the trees (into the lists, the helpers' share merged in); returns the distances evaluated. */
  trees(nTrees: number): number {
    Atomics.store(this.control, DOTS, 0);
    this.run(TREES, 0, 0, nTrees);
    const lists = this.own.ctx.lists;
    for (const t of this.threadLists) {
      for (let e = 0; e < t.idx.length; e++) {
        const j = t.idx[e]!;
        if (j >= 0) lists.push(Math.floor(e / t.size), j, t.dist[e]!);
      }
    }
    return Atomics.load(this.control, DOTS);
  }

  /** One round of local joins over every point; returns the list entries improved and the distances evaluated. */
  round(): { improved: number; dots: number } {
    const n = this.own.ctx.lists.n;
    const span = this.blockChunks * CHUNK;
    Atomics.store(this.control, DOTS, 0);
    Atomics.store(this.control, IMPROVED, 0);
    for (let lo = 0; lo < n; lo += span) {
      const hi = Math.min(n, lo + span);
      const chunks = Math.ceil((hi - lo) / CHUNK);
      this.run(GENERATE, lo, hi, chunks);
      this.run(APPLY, chunks, 0, this.applyTickets);
    }
    return { improved: Atomics.load(this.control, IMPROVED), dots: Atomics.load(this.control, DOTS) };
  }

  /** The float32 distances of every list (after the rounds), a range of points per thread. */
  floatDistances(): void {
    this.run(FLOATS, 0, 0, this.applyTickets);
  }

  close(): void {
    this.announce(EXIT, 0, 0, 0);
    for (const h of this.helpers) {
      void h.worker.terminate();
      h.errors.close();
    }
  }

  /** Announces a step, takes tickets until none is left, waits for those helpers hold. */
  private run(kind: number, lo: number, hi: number, tickets: number): void {
    const c = this.control;
    this.announce(kind, lo, hi, tickets);
    runTickets(this.own);
    for (;;) {
      const done = Atomics.load(c, TICKETS_DONE);
      if (done >= tickets) break;
      if (Atomics.load(c, ERROR)) this.fail();
      Atomics.wait(c, TICKETS_DONE, done, WAIT_MS);
    }
  }

  private announce(kind: number, lo: number, hi: number, tickets: number): void {
    const c = this.control;
    this.step = (this.step + 1) & 0x7fff;
    const slot = PARAMS + (this.step & 1) * PARAM_WORDS;
    Atomics.store(c, slot, kind);
    Atomics.store(c, slot + 1, lo);
    Atomics.store(c, slot + 2, hi);
    Atomics.store(c, slot + 3, tickets);
    Atomics.store(c, TICKETS_DONE, 0);
    Atomics.store(c, TICKET, this.step << 16);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
  }

  private fail(): never {
    for (const h of this.helpers) {
      const m = receiveMessageOnPort(h.errors);
      if (m) throw new Error(`nnDescentKnn: a helper thread failed: ${String(m.message)}`);
    }
    throw new Error('nnDescentKnn: a helper thread failed');
  }
}
