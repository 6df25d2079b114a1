/**
 * Test helper (a worker thread): one fastUmap fit with the options it is sent, as the batch
 * reducer's worker or the refit worker runs it, replying with the layout, the parallel layout's
 * stats and this thread's nice value. With `niceness` it first lowers its own priority, as the
 * refit worker does. Used by parallelLayout.test.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KnnGraph } from '../../src/core/types.js';
import { lowerThreadPriority } from '../../src/core/workers/threadPriority.js';
import { fastUmap, type FastUmapOptions, type FastUmapPhases } from '../../src/reduce/fast/fastUmap.js';
import { lastParallelStats } from '../../src/reduce/fast/parallelLayout.js';

const { knn, options, niceness } = workerData as { knn: KnnGraph; options: Partial<FastUmapOptions>; niceness?: number };
if (niceness) lowerThreadPriority(niceness);
const phases: Partial<FastUmapPhases> = {};
const y = fastUmap(knn, options, undefined, undefined, phases);
parentPort!.postMessage({ y, threads: phases.threads, stats: lastParallelStats }, [y.buffer as ArrayBuffer]);
