/**
 * What the parallel layout's threads share (parallelLayout.ts, the calling thread; layoutWorker.ts,
 * the helpers): the layout, the edges and their sampling state live in SharedArrayBuffers; a few
 * Int32 control words hand out the work.
 *
 * The edges are cut into nChunks contiguous chunks (the edges are sorted by head, so a chunk moves
 * a contiguous block of head points), and the work is the sequence of tickets t = epoch * nChunks +
 * chunk, taken in order with one atomic add by whichever thread is free, the calling one included.
 * Ticket (epoch, chunk) waits until (epoch - 1, chunk) is done, which was handed out nChunks tickets
 * earlier: every edge still runs its epochs in order with the learning rate of each, but there is
 * no barrier across all threads at the end of an epoch. On a shared machine a barrier per epoch
 * lets a descheduled thread hold every other one up (measured: two threads were no faster than
 * one with a load average of 6 on 2 cores); here a descheduled thread holds up nobody unless it
 * is still descheduled an epoch later. Chunks of two neighbouring epochs can thus run at once,
 * moving the same points without locks, as any Hogwild SGD does (umap-learn's parallel=True).
 */
import { readFileSync } from 'node:fs';
import type { KernelState, EpochKernel } from './layoutKernel.js';
import type { LayoutEdges } from './layoutEdges.js';

/** control words (Int32Array indices) */
export const NEXT = 0; // next ticket
export const DONE = 1; // tickets finished
export const ERROR = 2; // set by a helper that failed
export const READY = 3; // helpers that started
export const HELPER_TICKETS = 4; // tickets the helpers ran (for the benchmarks)
export const STATS_DONE = 6; // helpers that have written their thread stats
export const WAITS = 5; // tickets that had to wait for their chunk's previous epoch (for the benchmarks)
/** then per thread t (0 = the calling one): CPU µs at [THREAD_STATS + 2t], run-queue wait µs at [THREAD_STATS + 2t + 1] */
export const THREAD_STATS = 8;
export const controlWords = (threads: number): number => THREAD_STATS + 2 * threads;

/** What a helper is sent (workerData). */
export interface LayoutShared {
  control: SharedArrayBuffer;
  /** per chunk: the epochs it has finished */
  chunkEpochs: SharedArrayBuffer;
  y: SharedArrayBuffer;
  head: SharedArrayBuffer;
  tail: SharedArrayBuffer;
  epochsPerSample: SharedArrayBuffer;
  nextSample: SharedArrayBuffer;
  nextNegative: SharedArrayBuffer;
  epochsPerNegative: SharedArrayBuffer;
  n: number;
  dim: number;
  chunkSize: number;
  nChunks: number;
  nEpochs: number;
  initialAlpha: number;
  a: number;
  b: number;
  gamma: number;
  /** this helper's mulberry32 state for its negative samples */
  rng: number;
  /** nice value for the helper's thread (0: as its parent) */
  niceness: number;
  /** this helper's number (1..threads - 1) */
  index: number;
}

/**
 * The calling thread's CPU time and time spent runnable but waiting for a core, in µs (Linux
 * /proc/thread-self/schedstat; null elsewhere): the benchmarks tell from these what two threads
 * would take on a machine that is not shared.
 */
export function threadSchedstat(): { cpuUs: number; waitUs: number } | null {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isFinite(cpu) && Number.isFinite(wait) ? { cpuUs: cpu! / 1000, waitUs: wait! / 1000 } : null;
  } catch {
    return null;
  }
}

export function recordThreadStats(control: Int32Array, t: number, start: { cpuUs: number; waitUs: number } | null): void {
  const end = start && threadSchedstat();
  if (!start || !end) {
    if (t > 0) {
      Atomics.add(control, STATS_DONE, 1);
      Atomics.notify(control, STATS_DONE);
    }
    return;
  }
  Atomics.store(control, THREAD_STATS + 2 * t, Math.round(end.cpuUs - start.cpuUs));
  Atomics.store(control, THREAD_STATS + 2 * t + 1, Math.round(end.waitUs - start.waitUs));
  if (t > 0) {
    Atomics.add(control, STATS_DONE, 1);
    Atomics.notify(control, STATS_DONE);
  }
}

export interface TicketRun {
  control: Int32Array;
  chunkEpochs: Int32Array;
  nChunks: number;
  chunkSize: number;
  nEpochs: number;
  initialAlpha: number;
  kernel: EpochKernel;
  y: Float32Array;
  n: number;
  edges: LayoutEdges;
  state: KernelState;
  a: number;
  b: number;
  gamma: number;
}

/**
 * Takes tickets until none is left; returns how many it ran. `onTicket` (the calling thread's
 * progress) gets each ticket's epoch before it runs.
 */
export function runTickets(r: TicketRun, onTicket?: (epoch: number) => void): number {
  const { control, chunkEpochs, nChunks, chunkSize } = r;
  const m = r.edges.head.length;
  const total = nChunks * r.nEpochs;
  let ran = 0;
  for (;;) {
    const t = Atomics.add(control, NEXT, 1);
    if (t >= total) return ran;
    const epoch = Math.floor(t / nChunks);
    const c = t - epoch * nChunks;
    // the chunk's previous epoch first (usually long done)
    if (Atomics.load(chunkEpochs, c) < epoch) Atomics.add(control, WAITS, 1);
    for (let done = Atomics.load(chunkEpochs, c); done < epoch; done = Atomics.load(chunkEpochs, c)) {
      if (Atomics.load(control, ERROR) !== 0) return ran;
      Atomics.wait(chunkEpochs, c, done, 200);
    }
    if (onTicket) onTicket(epoch);
    const lo = c * chunkSize;
    const alpha = r.initialAlpha * (1 - epoch / r.nEpochs);
    r.kernel(r.y, r.n, r.edges, r.state, epoch, alpha, r.a, r.b, r.gamma, lo, Math.min(m, lo + chunkSize));
    ran++;
    Atomics.store(chunkEpochs, c, epoch + 1);
    Atomics.notify(chunkEpochs, c);
    if (Atomics.add(control, DONE, 1) + 1 === total) Atomics.notify(control, DONE);
  }
}
