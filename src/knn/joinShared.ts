/**
 * What the calling thread and the helper threads of the parallel NN-descent share
 * (parallelJoin.ts, joinWorker.ts), and the ticket loop they all run. Work comes in steps (the
 * trees; then, per block of points, the chunks of a local join); a step is cut into tickets (a
 * tree, a chunk) that any thread claims with a compare-and-swap, so a helper that starts late or is
 * descheduled costs nothing but its share: the caller takes every ticket nobody else took. The
 * result does not depend on which thread ran which ticket: a tree goes into the lists of the
 * thread that builds it (merged after; a list keeps the first of what it was offered by (distance,
 * index), whatever the order: NeighbourLists.push), a chunk into its own region of updates, a
 * block's updates into the lists of a range of points (each list offered them in chunk order).
 */
import { applyChunks, floatDistances, generateChunk, type JoinContext, type UpdateBuffer } from './joinKernel.js';
import { CandidateLists, NeighbourLists } from './neighbourLists.js';
import { RpForestSeeder, treeRng } from './rpTrees.js';
import { UnitRows, type UnitRowsHandle } from './unitRows.js';

/** control words (Int32) */
export const SEQ = 0; // bumped by the caller for each step (helpers wait on it)
export const TICKET = 1; // step << 16 | next ticket
export const TICKETS_DONE = 2; // tickets of the current step finished
export const ERROR = 3; // a helper failed (its message comes on its port)
export const DOTS = 4; // distance evaluations, all threads
export const IMPROVED = 5; // list entries improved by the applied updates, all threads
export const PARAMS = 6; // two slots (by step parity) of PARAM_WORDS: kind, lo, hi, tickets
export const PARAM_WORDS = 4;
export const CONTROL_WORDS = PARAMS + 2 * PARAM_WORDS;

export const TREES = 1; // ticket u: tree u into the lists of the thread that takes it
export const GENERATE = 2; // ticket c: the updates of points [lo + c * CHUNK, ...) below hi
export const EXIT = 3;
export const APPLY = 4; // ticket a of `tickets`: the block's updates (lo = its chunks) into the lists of range a of the points
export const FLOATS = 5; // ticket a of `tickets`: the float32 distances of the lists of range a of the points
/** points per chunk of a local join */
export const CHUNK = 64;

export interface JoinShared {
  control: SharedArrayBuffer;
  rows: UnitRowsHandle;
  n: number;
  listSize: number;
  lists: NeighbourLists['buffers'];
  candidates: number;
  fresh: ArrayBufferLike;
  old: ArrayBufferLike;
  updates: { p: SharedArrayBuffer; q: SharedArrayBuffer; d: SharedArrayBuffer };
  chunkCapacity: number;
  /** pairs written per chunk of the current block */
  chunkCounts: SharedArrayBuffer;
  /** the lists of helper t's trees: threadLists[t - 1] */
  threadLists: Array<NeighbourLists['buffers']>;
  seed: number;
  leafSize: number;
}

/** One thread's view of the shared state. */
export interface Thread {
  control: Int32Array;
  ctx: JoinContext;
  chunkCounts: Int32Array;
  /** builds the trees this thread takes, into its own lists */
  seeder: RpForestSeeder;
  seed: number;
}

/** Helper `thread` (1 .. threads - 1)'s view; it draws hyperplanes in scratch row `thread`. */
export function attachThread(s: JoinShared, thread: number): Thread {
  const rows = UnitRows.attach(s.rows);
  const lists = new NeighbourLists(s.n, s.listSize, { from: s.lists });
  return {
    control: new Int32Array(s.control),
    ctx: {
      rows,
      lists,
      fresh: new CandidateLists(s.n, s.candidates, { from: s.fresh }),
      old: new CandidateLists(s.n, s.candidates, { from: s.old }),
      batch: thread * rows.batchStride,
      marks: { mark: new Int32Array(s.n), tag: 0 },
      updates: viewUpdates(s.updates),
      chunkCapacity: s.chunkCapacity,
    },
    chunkCounts: new Int32Array(s.chunkCounts),
    seeder: new RpForestSeeder(rows, new NeighbourLists(s.n, s.listSize, { from: s.threadLists[thread - 1]! }), s.leafSize, thread),
    seed: s.seed,
  };
}

export function viewUpdates(u: JoinShared['updates']): UpdateBuffer {
  return { p: new Int32Array(u.p), q: new Int32Array(u.q), d: new Float32Array(u.d) };
}

/**
 * Claims and runs tickets of the current step until none is left; returns its kind (EXIT: stop).
 * Safe against a step changing under it: a claim is a compare-and-swap on the word that names the
 * step, and a step's parameters are rewritten only two steps later, after all its tickets are done.
 */
export function runTickets(t: Thread): number {
  const c = t.control;
  for (;;) {
    const w = Atomics.load(c, TICKET);
    const step = w >>> 16;
    const next = w & 0xffff;
    const slot = PARAMS + (step & 1) * PARAM_WORDS;
    const kind = Atomics.load(c, slot);
    if (kind === EXIT) return EXIT;
    if (next >= Atomics.load(c, slot + 3)) return kind;
    if (Atomics.compareExchange(c, TICKET, w, w + 1) !== w) continue;
    const lo = Atomics.load(c, slot + 1);
    const hi = Atomics.load(c, slot + 2);
    if (kind === TREES) {
      const before = t.seeder.distances;
      t.seeder.tree(treeRng(t.seed, next));
      Atomics.add(c, DOTS, t.seeder.distances - before);
    } else if (kind === APPLY || kind === FLOATS) {
      const tickets = Atomics.load(c, slot + 3);
      const n = t.ctx.lists.n;
      const from = Math.floor((next * n) / tickets);
      const to = Math.floor(((next + 1) * n) / tickets);
      if (kind === FLOATS) floatDistances(t.ctx.rows, t.ctx.lists, from, to);
      else Atomics.add(c, IMPROVED, applyChunks(t.ctx.lists, t.ctx.updates, t.ctx.chunkCapacity, t.chunkCounts, lo, from, to));
    } else {
      const from = lo + next * CHUNK;
      const [m, dots] = generateChunk(t.ctx, next, from, Math.min(hi, from + CHUNK));
      t.chunkCounts[next] = m;
      Atomics.add(c, DOTS, dots);
    }
    Atomics.add(c, TICKETS_DONE, 1);
    Atomics.notify(c, TICKETS_DONE);
  }
}

