/**
 * The layout optimisation on several threads (Hogwild, as umap-learn's parallel=True numba loop):
 * the calling thread and threads - 1 helper threads (layoutWorker.ts) run chunks of the edges,
 * epoch after epoch, against one layout in a SharedArrayBuffer, without locks on the coordinates.
 * How the work is handed out (tickets, each chunk's epochs in order, no global barrier):
 * layoutShared.ts. Each thread draws its negative samples from a mulberry32 stream of its own; the
 * calling thread's is the single-threaded one.
 *
 * The calling thread blocks in Atomics.wait while helpers finish the last tickets, so this runs
 * off the main thread only (optimizeLayout falls back to one thread there): in the batch reducer's
 * worker and in the refit worker. Helpers are started per fit and unref'd (they never keep the
 * process alive); they run out of tickets and return at the end of the fit, and are terminated
 * then in any case (also when the fit throws); Node terminates them with their parent thread (a
 * refit past its deadline). Helpers that are slow to start cost nothing but speed: the calling
 * thread takes every ticket nobody else took.
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { Mulberry32 } from '../../core/random.js';
import type { LayoutEdges } from './layoutEdges.js';
import { epochKernel } from './layoutKernel.js';
import { THREAD_STATS, controlWords, recordThreadStats, threadSchedstat, DONE, ERROR, HELPER_TICKETS, NEXT, READY, STATS_DONE, WAITS, runTickets, type LayoutShared } from './layoutShared.js';
import type { LayoutOptions } from './layoutOptions.js';

/** chunks per thread: enough for a late or descheduled thread to cost little */
export const CHUNKS_PER_THREAD = 16;
const MIN_CHUNK = 512;

/** What the last parallel layout in this thread did (for the benchmarks and tests). */
export interface ParallelLayoutStats {
  threads: number;
  /** helpers that had started by the end */
  helpersStarted: number;
  tickets: number;
  /** share of the tickets that the helper threads ran */
  helperShare: number;
  /** tickets that waited for their chunk's previous epoch */
  waits: number;
  /** per thread (0: the calling one; Linux only, else 0): CPU ms running tickets, and ms runnable but waiting for a core */
  cpuMs: number[];
  runQueueMs: number[];
}
export let lastParallelStats: ParallelLayoutStats | null = null;

function shared<T extends Float32Array | Float64Array | Int32Array>(src: T, make: (b: SharedArrayBuffer) => T): { buf: SharedArrayBuffer; view: T } {
  const buf = new SharedArrayBuffer(src.byteLength);
  const view = make(buf);
  view.set(src as never);
  return { buf, view };
}

/** The seed of helper t's negative samples (t >= 1; the calling thread keeps o.seed). */
export function helperSeed(seed: number, t: number): number {
  return new Mulberry32((seed ^ Math.imul(t, 0x9e3779b9)) | 0).nextUint32() | 0;
}

export function optimizeLayoutParallel(
  embedding: Float32Array,
  n: number,
  dim: number,
  edges: LayoutEdges,
  o: LayoutOptions,
  threads: number,
  onEpoch?: (epoch: number, nEpochs: number) => void,
): void {
  const plan = chunkPlan(edges.head.length, threads, o.nEpochs);
  const arrays = shareArrays(embedding, edges, o.negativeSampleRate);
  const controlBuf = new SharedArrayBuffer(controlWords(threads) * 4);
  const control = new Int32Array(controlBuf);
  const chunkEpochsBuf = new SharedArrayBuffer(plan.nChunks * 4);
  const base = sharedBase(arrays, controlBuf, chunkEpochsBuf, plan, n, dim, o);

  const helpers: Helper[] = [];
  try {
    startHelpers(base, o.seed, threads, helpers);
    const start = threadSchedstat();
    runCallerTickets(arrays, control, chunkEpochsBuf, plan, n, dim, o, onEpoch);
    recordThreadStats(control, 0, start);
    awaitHelpers(control, plan.total, helpers);
    if (onEpoch) onEpoch(o.nEpochs, o.nEpochs);
  } finally {
    stopHelpers(control, plan.total, helpers);
  }
  lastParallelStats = layoutStats(control, threads, plan.total);
  embedding.set(arrays.y.view);
}

/** How the edges are cut: chunks of chunkSize edges, nChunks of them, total = tickets (chunks x epochs). */
interface ChunkPlan {
  chunkSize: number;
  nChunks: number;
  total: number;
}

function chunkPlan(m: number, threads: number, nEpochs: number): ChunkPlan {
  const chunkSize = Math.max(MIN_CHUNK, Math.ceil(m / (threads * CHUNKS_PER_THREAD)));
  const nChunks = Math.ceil(m / chunkSize);
  const total = nChunks * nEpochs;
  if (total >= 2 ** 30) throw new Error(`UMAP layout: ${nEpochs} epochs of ${nChunks} chunks are too many`);
  return { chunkSize, nChunks, total };
}

/** The layout, the edges and their sampling state, in SharedArrayBuffers. */
interface SharedArrays {
  y: { buf: SharedArrayBuffer; view: Float32Array };
  head: { buf: SharedArrayBuffer; view: Int32Array };
  tail: { buf: SharedArrayBuffer; view: Int32Array };
  eps: { buf: SharedArrayBuffer; view: Float64Array };
  nextSample: { buf: SharedArrayBuffer; view: Float64Array };
  epn: Float64Array;
  nextNegative: Float64Array;
}

function shareArrays(embedding: Float32Array, edges: LayoutEdges, negativeSampleRate: number): SharedArrays {
  const m = edges.head.length;
  const y = shared(embedding, (b) => new Float32Array(b));
  const head = shared(edges.head, (b) => new Int32Array(b));
  const tail = shared(edges.tail, (b) => new Int32Array(b));
  const eps = shared(edges.epochsPerSample, (b) => new Float64Array(b));
  const nextSample = shared(edges.epochsPerSample, (b) => new Float64Array(b));
  const epn = new Float64Array(new SharedArrayBuffer(m * 8));
  const nextNegative = new Float64Array(new SharedArrayBuffer(m * 8));
  for (let e = 0; e < m; e++) {
    epn[e] = edges.epochsPerSample[e]! / negativeSampleRate;
    nextNegative[e] = epn[e]!;
  }
  return { y, head, tail, eps, nextSample, epn, nextNegative };
}

/** What every helper is sent, but for its own seed and number. */
function sharedBase(
  arrays: SharedArrays,
  control: SharedArrayBuffer,
  chunkEpochs: SharedArrayBuffer,
  plan: ChunkPlan,
  n: number,
  dim: number,
  o: LayoutOptions,
): Omit<LayoutShared, 'rng' | 'index'> {
  return {
    control,
    chunkEpochs,
    y: arrays.y.buf,
    head: arrays.head.buf,
    tail: arrays.tail.buf,
    epochsPerSample: arrays.eps.buf,
    nextSample: arrays.nextSample.buf,
    nextNegative: arrays.nextNegative.buffer as SharedArrayBuffer,
    epochsPerNegative: arrays.epn.buffer as SharedArrayBuffer,
    n,
    dim,
    chunkSize: plan.chunkSize,
    nChunks: plan.nChunks,
    nEpochs: o.nEpochs,
    initialAlpha: o.initialAlpha,
    a: o.a,
    b: o.b,
    gamma: o.gamma,
    niceness: callerNiceness(),
  };
}

interface Helper {
  worker: Worker;
  errors: MessagePort;
}

/** Starts helpers 1..threads - 1 (unref'd), pushing each into `helpers` as it starts (for the cleanup when one fails to). */
function startHelpers(base: Omit<LayoutShared, 'rng' | 'index'>, seed: number, threads: number, helpers: Helper[]): void {
  for (let t = 1; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./layoutWorker.js', import.meta.url), {
      workerData: { ...base, rng: helperSeed(seed, t), index: t, errors: port2 },
      transferList: [port2],
    });
    worker.unref();
    // reported through `errors` (read synchronously below); the event itself comes too late to matter
    worker.on('error', () => undefined);
    helpers.push({ worker, errors: port1 });
  }
}

/** The calling thread's share of the tickets (every one nobody else took), with the single-threaded seed. */
function runCallerTickets(
  arrays: SharedArrays,
  control: Int32Array,
  chunkEpochsBuf: SharedArrayBuffer,
  plan: ChunkPlan,
  n: number,
  dim: number,
  o: LayoutOptions,
  onEpoch: ((epoch: number, nEpochs: number) => void) | undefined,
): void {
  let reported = 0;
  runTickets(
    {
      control,
      chunkEpochs: new Int32Array(chunkEpochsBuf),
      nChunks: plan.nChunks,
      chunkSize: plan.chunkSize,
      nEpochs: o.nEpochs,
      initialAlpha: o.initialAlpha,
      kernel: epochKernel(dim),
      y: arrays.y.view,
      n,
      edges: { head: arrays.head.view, tail: arrays.tail.view, epochsPerSample: arrays.eps.view },
      state: { nextSample: arrays.nextSample.view, nextNegative: arrays.nextNegative, epochsPerNegative: arrays.epn, rng: o.seed | 0 },
      a: o.a,
      b: o.b,
      gamma: o.gamma,
    },
    onEpoch
      ? (epoch) => {
          // every earlier epoch has been handed out (not necessarily finished)
          if (epoch > reported) onEpoch((reported = epoch), o.nEpochs);
        }
      : undefined,
  );
}

/** Waits for the helpers' last tickets (throwing a helper's error), then briefly for their CPU figures. */
function awaitHelpers(control: Int32Array, total: number, helpers: Helper[]): void {
  for (let done = Atomics.load(control, DONE); done < total; done = Atomics.load(control, DONE)) {
    if (Atomics.load(control, ERROR) !== 0) throw helperError(helpers);
    Atomics.wait(control, DONE, done, 200);
  }
  if (Atomics.load(control, ERROR) !== 0) throw helperError(helpers);
  // the helpers' CPU figures, written as they return (a few µs after their last ticket); never long
  const until = performance.now() + 50;
  for (let s = Atomics.load(control, STATS_DONE); s < Atomics.load(control, READY) && performance.now() < until; s = Atomics.load(control, STATS_DONE)) {
    Atomics.wait(control, STATS_DONE, s, 10);
  }
}

/** No ticket left for anyone (a fit that threw), then end the helpers. */
function stopHelpers(control: Int32Array, total: number, helpers: Helper[]): void {
  Atomics.store(control, NEXT, total);
  for (const h of helpers) {
    h.errors.close();
    h.worker.terminate().catch(() => undefined);
  }
}

function layoutStats(control: Int32Array, threads: number, total: number): ParallelLayoutStats {
  return { threads, helpersStarted: Atomics.load(control, READY), tickets: total, helperShare: Atomics.load(control, HELPER_TICKETS) / total, waits: Atomics.load(control, WAITS),
    cpuMs: Array.from({ length: threads }, (_, t) => Atomics.load(control, THREAD_STATS + 2 * t) / 1000),
    runQueueMs: Array.from({ length: threads }, (_, t) => Atomics.load(control, THREAD_STATS + 2 * t + 1) / 1000),
  };
}

/**
 * The nice value of the calling thread (Linux: per thread; 0 elsewhere). The refit worker's thread
 * runs at stream.refit.niceness, and its helpers must yield to ingestion as it does. Linux gives a
 * new thread its creator's nice value already; the helper sets it again (lowerThreadPriority) so as
 * not to depend on that.
 */
function callerNiceness(): number {
  if (process.platform !== 'linux') return 0;
  try {
    return os.getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()));
  } catch {
    return 0;
  }
}

function helperError(helpers: Array<{ errors: MessagePort }>): Error {
  for (const h of helpers) {
    const msg = receiveMessageOnPort(h.errors);
    if (msg) return new Error(`UMAP layout helper thread failed: ${String((msg.message as { error: string }).error)}`);
  }
  return new Error('UMAP layout helper thread failed');
}
