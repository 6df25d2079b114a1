/**
 * UMAP's layout optimisation (umap-learn `optimize_layout_euclidean`): stochastic gradient descent
 * over the edges, each edge sampled every epochsPerSample epochs, pulling its two ends together,
 * and for each positive sample `negativeSampleRate` random points pushed away from the head. The
 * learning rate decays linearly to 0. Works in place on a row-major Float32Array embedding. The
 * per-epoch loop over the edges is in layoutKernel.ts.
 *
 * One thread (the default) is deterministic: the same seed gives the same result, bit for bit.
 * With `threads` > 1 each epoch's edges are shared out among the calling thread and threads - 1
 * helper threads that update one shared layout without locks (parallelLayout.ts; umap-learn's
 * parallel=True does the same): faster, same quality, not reproducible run to run.
 */
import { isMainThread } from 'node:worker_threads';
import type { LayoutEdges } from './layoutEdges.js';
import { epochKernel, type KernelState } from './layoutKernel.js';
import type { LayoutOptions } from './layoutOptions.js';
import { optimizeLayoutParallel } from './parallelLayout.js';

export type { LayoutOptions } from './layoutOptions.js';

/** Below this many edges a fit is too short for helper threads to pay for their start (~30 ms each). */
export const MIN_PARALLEL_EDGES = 20_000;

/** How many threads a layout of m edges gets: 1 on the main thread or for small graphs. */
export function layoutThreads(requested: number | undefined, m: number): number {
  const t = Math.max(1, Math.floor(requested ?? 1));
  if (t === 1 || isMainThread || m < MIN_PARALLEL_EDGES) return 1;
  return t;
}

export function optimizeLayout(
  embedding: Float32Array,
  n: number,
  dim: number,
  edges: LayoutEdges,
  o: LayoutOptions,
  onEpoch?: (epoch: number, nEpochs: number) => void,
): void {
  const { epochsPerSample } = edges;
  const m = epochsPerSample.length;
  const threads = layoutThreads(o.threads, m);
  if (threads > 1) {
    optimizeLayoutParallel(embedding, n, dim, edges, o, threads, onEpoch);
    return;
  }
  const state: KernelState = {
    nextSample: Float64Array.from(epochsPerSample),
    nextNegative: new Float64Array(m),
    epochsPerNegative: new Float64Array(m),
    rng: o.seed | 0,
  };
  for (let e = 0; e < m; e++) {
    state.epochsPerNegative[e] = epochsPerSample[e]! / o.negativeSampleRate;
    state.nextNegative[e] = state.epochsPerNegative[e]!;
  }
  const kernel = epochKernel(dim);
  for (let epoch = 0; epoch < o.nEpochs; epoch++) {
    const alpha = o.initialAlpha * (1 - epoch / o.nEpochs);
    kernel(embedding, n, edges, state, epoch, alpha, o.a, o.b, o.gamma, 0, m);
    if (onEpoch) onEpoch(epoch + 1, o.nEpochs);
  }
}
