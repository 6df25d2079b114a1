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
import type { LayoutOptions } from './optimizeLayout.js';

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
  const m = edges.head.length;
  const chunkSize = Math.max(MIN_CHUNK, Math.ceil(m / (threads * CHUNKS_PER_THREAD)));
  const nChunks = Math.ceil(m / chunkSize);
  const total = nChunks * o.nEpochs;
  if (total >= 2 ** 30) throw new Error(`UMAP layout: ${o.nEpochs} epochs of ${nChunks} chunks are too many`);

  const y = shared(embedding, (b) => new Float32Array(b));
  const head = shared(edges.head, (b) => new Int32Array(b));
  const tail = shared(edges.tail, (b) => new Int32Array(b));
  const eps = shared(edges.epochsPerSample, (b) => new Float64Array(b));
  const nextSample = shared(edges.epochsPerSample, (b) => new Float64Array(b));
  const epn = new Float64Array(new SharedArrayBuffer(m * 8));
  const nextNegative = new Float64Array(new SharedArrayBuffer(m * 8));
  for (let e = 0; e < m; e++) {
    epn[e] = edges.epochsPerSample[e]! / o.negativeSampleRate;
    nextNegative[e] = epn[e]!;
  }
  const controlBuf = new SharedArrayBuffer(controlWords(threads) * 4);
  const control = new Int32Array(controlBuf);
  const chunkEpochsBuf = new SharedArrayBuffer(nChunks * 4);

  const base: Omit<LayoutShared, 'rng' | 'index'> = {
    control: controlBuf,
    chunkEpochs: chunkEpochsBuf,
    y: y.buf,
    head: head.buf,
    tail: tail.buf,
    epochsPerSample: eps.buf,
    nextSample: nextSample.buf,
    nextNegative: nextNegative.buffer as SharedArrayBuffer,
    epochsPerNegative: epn.buffer as SharedArrayBuffer,
    n,
    dim,
    chunkSize,
    nChunks,
    nEpochs: o.nEpochs,
    initialAlpha: o.initialAlpha,
    a: o.a,
    b: o.b,
    gamma: o.gamma,
    niceness: callerNiceness(),
  };

  const helpers: Array<{ worker: Worker; errors: MessagePort }> = [];
  try {
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(new URL('./layoutWorker.js', import.meta.url), {
        workerData: { ...base, rng: helperSeed(o.seed, t), index: t, errors: port2 },
        transferList: [port2],
      });
      worker.unref();
      // reported through `errors` (read synchronously below); the event itself comes too late to matter
      worker.on('error', () => undefined);
      helpers.push({ worker, errors: port1 });
    }
    let reported = 0;
    const start = threadSchedstat();
    runTickets(
      {
        control,
        chunkEpochs: new Int32Array(chunkEpochsBuf),
        nChunks,
        chunkSize,
        nEpochs: o.nEpochs,
        initialAlpha: o.initialAlpha,
        kernel: epochKernel(dim),
        y: y.view,
        n,
        edges: { head: head.view, tail: tail.view, epochsPerSample: eps.view },
        state: { nextSample: nextSample.view, nextNegative, epochsPerNegative: epn, rng: o.seed | 0 },
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
    recordThreadStats(control, 0, start);
    // the helpers' last tickets
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
    if (onEpoch) onEpoch(o.nEpochs, o.nEpochs);
  } finally {
    // no ticket left for anyone (a fit that threw), then end the helpers
    Atomics.store(control, NEXT, total);
    for (const h of helpers) {
      h.errors.close();
      h.worker.terminate().catch(() => undefined);
    }
  }
  lastParallelStats = { threads, helpersStarted: Atomics.load(control, READY), tickets: total, helperShare: Atomics.load(control, HELPER_TICKETS) / total, waits: Atomics.load(control, WAITS),
    cpuMs: Array.from({ length: threads }, (_, t) => Atomics.load(control, THREAD_STATS + 2 * t) / 1000),
    runQueueMs: Array.from({ length: threads }, (_, t) => Atomics.load(control, THREAD_STATS + 2 * t + 1) / 1000),
  };
  embedding.set(y.view);
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
