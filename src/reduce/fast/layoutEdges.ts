/**
 * The edge list the layout optimisation samples from: every stored entry (i, j) of the symmetric
 * fuzzy graph (so each undirected edge appears twice, as in umap-learn), minus the entries too weak
 * to be sampled even once in nEpochs (weight < max / nEpochs), each with its sampling period
 * epochsPerSample = nEpochs / (nEpochs * w / w_max) = w_max / w  (umap-learn `make_epochs_per_sample`).
 */
import type { FuzzyGraph } from './fuzzySimplicialSet.js';

export interface LayoutEdges {
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly epochsPerSample: Float64Array;
}

export function layoutEdges(g: FuzzyGraph, nEpochs: number): LayoutEdges {
  const { n, rowPtr, cols, vals } = g;
  let max = 0;
  for (let t = 0; t < vals.length; t++) if (vals[t]! > max) max = vals[t]!;
  if (!(max > 0)) throw new Error('UMAP: the fuzzy graph has no edges (all points identical?)');
  const threshold = max / nEpochs;
  let m = 0;
  for (let t = 0; t < vals.length; t++) if (vals[t]! >= threshold) m++;
  const head = new Int32Array(m);
  const tail = new Int32Array(m);
  const epochsPerSample = new Float64Array(m);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let t = rowPtr[i]!; t < rowPtr[i + 1]!; t++) {
      const v = vals[t]!;
      if (v < threshold) continue;
      head[e] = i;
      tail[e] = cols[t]!;
      const nSamples = nEpochs * (v / max);
      epochsPerSample[e] = nEpochs / nSamples;
      e++;
    }
  }
  return { head, tail, epochsPerSample };
}

/** umap-learn's default number of epochs: 500 up to 10,000 points, 200 beyond. */
export function defaultEpochs(n: number): number {
  return n <= 10000 ? 500 : 200;
}
