/**
 * What the calling thread and the helper threads of the parallel local join share
 * (parallelJoin.ts, joinWorker.ts): the control words, and how a thread builds its JoinContext
 * from the shared buffers.
 */
import { CandidateLists, NeighbourLists } from './neighbourLists.js';
import { COUNT_WORDS, type JoinContext, type UpdateBuffer } from './joinKernel.js';
import { UnitRows, type UnitRowsHandle } from './unitRows.js';

/** control words (Int32) */
export const SEQ = 0; // bumped by the caller for each step
export const KIND = 1; // GENERATE | APPLY | EXIT
export const LO = 2; // points [LO, HI) of a GENERATE step
export const HI = 3;
export const DONE = 4; // steps finished by helpers, in total
export const READY = 5; // helpers started
export const ERROR = 6; // a helper failed (its message comes on its port)
export const CONTROL_WORDS = 7;

export const GENERATE = 1;
export const APPLY = 2;
export const EXIT = 3;
/** build trees u = thread, thread + threads, ... (of LO trees) into the thread's own lists */
export const TREES = 4;

export interface JoinShared {
  control: SharedArrayBuffer;
  counts: SharedArrayBuffer;
  rows: UnitRowsHandle;
  n: number;
  listSize: number;
  lists: NeighbourLists['buffers'];
  candidates: number;
  fresh: ArrayBufferLike;
  old: ArrayBufferLike;
  /** per thread: p, q, d */
  updates: Array<{ p: SharedArrayBuffer; q: SharedArrayBuffer; d: SharedArrayBuffer }>;
  threads: number;
  /** per helper (thread t at t - 1): the lists its trees go to */
  treeLists: Array<NeighbourLists['buffers']>;
  seed: number;
  leafSize: number;
}

/** Shared buffers for `threads` threads of updates of up to `capacity` pairs each. */
export function updateBuffers(threads: number, capacity: number): JoinShared['updates'] {
  return Array.from({ length: threads }, () => ({
    p: new SharedArrayBuffer(capacity * 4),
    q: new SharedArrayBuffer(capacity * 4),
    d: new SharedArrayBuffer(capacity * 4),
  }));
}

/** A helper's view of the shared state (the calling thread builds its own from the originals). */
export function attachContext(s: JoinShared): JoinContext {
  return {
    rows: UnitRows.attach(s.rows),
    lists: new NeighbourLists(s.n, s.listSize, { from: s.lists }),
    fresh: new CandidateLists(s.n, s.candidates, { from: s.fresh }),
    old: new CandidateLists(s.n, s.candidates, { from: s.old }),
    freshList: new Int32Array(s.candidates),
    oldList: new Int32Array(s.candidates),
    updates: s.updates.map(viewUpdates),
    counts: new Int32Array(s.counts),
  };
}

export function viewUpdates(u: JoinShared['updates'][number]): UpdateBuffer {
  return { p: new Int32Array(u.p), q: new Int32Array(u.q), d: new Float32Array(u.d) };
}

export function countsBuffer(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(threads * COUNT_WORDS * 4);
}
