/**
 * UMAP's layout optimisation (umap-learn `optimize_layout_euclidean`, single-threaded so that the
 * same seed gives the same result): stochastic gradient descent over the edges, each edge sampled
 * every epochsPerSample epochs, pulling its two ends together, and for each positive sample
 * `negativeSampleRate` random points pushed away from the head. The learning rate decays linearly
 * to 0. Works in place on a row-major Float32Array embedding.
 */
import type { LayoutEdges } from './layoutEdges.js';

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

const CLIP = 4;

export function optimizeLayout(
  embedding: Float32Array,
  n: number,
  dim: number,
  edges: LayoutEdges,
  o: LayoutOptions,
  onEpoch?: (epoch: number, nEpochs: number) => void,
): void {
  const { head, tail, epochsPerSample } = edges;
  const m = head.length;
  const { a, b, gamma, nEpochs, negativeSampleRate } = o;
  const epochsPerNegative = new Float64Array(m);
  const nextSample = new Float64Array(m);
  const nextNegative = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    epochsPerNegative[e] = epochsPerSample[e]! / negativeSampleRate;
    nextSample[e] = epochsPerSample[e]!;
    nextNegative[e] = epochsPerNegative[e]!;
  }
  // mulberry32 inlined (the same generator as prng.ts): a method call per negative sample costs
  // measurably in this loop, which runs tens of millions of times
  let state = o.seed >>> 0;
  const twoAB = 2 * a * b;
  const twoGammaB = 2 * gamma * b;

  for (let epoch = 0; epoch < nEpochs; epoch++) {
    const alpha = o.initialAlpha * (1 - epoch / nEpochs);
    for (let e = 0; e < m; e++) {
      if (nextSample[e]! > epoch) continue;
      const j = head[e]! * dim;
      const k = tail[e]! * dim;

      let d2 = 0;
      for (let d = 0; d < dim; d++) {
        const diff = embedding[j + d]! - embedding[k + d]!;
        d2 += diff * diff;
      }
      let coeff = 0;
      if (d2 > 0) {
        const pb = Math.exp(b * Math.log(d2)); // d2^b (3x faster than Math.pow in V8); d2^(b-1) = pb / d2
        coeff = (-twoAB * (pb / d2)) / (a * pb + 1);
      }
      for (let d = 0; d < dim; d++) {
        let g = coeff * (embedding[j + d]! - embedding[k + d]!);
        if (g > CLIP) g = CLIP;
        else if (g < -CLIP) g = -CLIP;
        embedding[j + d] += g * alpha;
        embedding[k + d] -= g * alpha;
      }
      nextSample[e] += epochsPerSample[e]!;

      const nNeg = Math.floor((epoch - nextNegative[e]!) / epochsPerNegative[e]!);
      for (let p = 0; p < nNeg; p++) {
        state = (state + 0x6d2b79f5) | 0;
        let r = Math.imul(state ^ (state >>> 15), state | 1);
        r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
        const ko = Math.floor((((r ^ (r >>> 14)) >>> 0) / 4294967296) * n) * dim;
        let dn = 0;
        for (let d = 0; d < dim; d++) {
          const diff = embedding[j + d]! - embedding[ko + d]!;
          dn += diff * diff;
        }
        if (dn > 0) {
          const c = twoGammaB / ((0.001 + dn) * (a * Math.exp(b * Math.log(dn)) + 1));
          for (let d = 0; d < dim; d++) {
            let g = c * (embedding[j + d]! - embedding[ko + d]!);
            if (g > CLIP) g = CLIP;
            else if (g < -CLIP) g = -CLIP;
            embedding[j + d] += g * alpha;
          }
        }
        // dn == 0: the sample is the head itself or sits on it; umap-learn moves nothing
      }
      if (nNeg > 0) nextNegative[e] += nNeg * epochsPerNegative[e]!;
    }
    if (onEpoch) onEpoch(epoch + 1, nEpochs);
  }
}
