/**
 * UMAP's layout optimisation (umap-learn `optimize_layout_euclidean`, single-threaded so that the
 * same seed gives the same result): stochastic gradient descent over the edges, each edge sampled
 * every epochsPerSample epochs, pulling its two ends together, and for each positive sample
 * `negativeSampleRate` random points pushed away from the head. The learning rate decays linearly
 * to 0. Works in place on a row-major Float32Array embedding. The per-epoch loop over the edges is
 * in layoutKernel.ts.
 */
import type { LayoutEdges } from './layoutEdges.js';
import { epochKernel, type KernelState } from './layoutKernel.js';

export interface LayoutOptions {
  nEpochs: number;
  a: number;
  b: number;
  /** weight of the repulsive force (umap-learn repulsion_strength) */
  gamma: number;
  initialAlpha: number;
  negativeSampleRate: number;
  seed: number;
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
    kernel(embedding, n, edges, state, epoch, alpha, o.a, o.b, o.gamma);
    if (onEpoch) onEpoch(epoch + 1, o.nEpochs);
  }
}
