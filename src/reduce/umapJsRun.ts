/**
 * Runs umap-js 1.4 on a precomputed k-NN graph, synchronously (call it off the main thread).
 *
 * How umap-js wants the graph (read from its source): `setPrecomputedKNN(indices, distances)` with
 * number[][] rows of exactly nNeighbors entries, the point itself first at distance 0 — its
 * smooth-kNN step skips column 0 and its membership step gives the self entry weight 0, exactly
 * like umap-learn. With a precomputed graph umap-js reads nothing of X but its length, so it gets
 * n empty rows instead of a 384-d copy of the data.
 */
import { UMAP } from 'umap-js';
import type { KnnGraph } from '../core/types.js';
import { mulberry32 } from '../core/random.js';
import { truncateKnn } from './truncateKnn.js';

export interface UmapJsOptions {
  nNeighbors: number;
  nComponents: number;
  minDist: number;
  seed: number;
  /** default: umap-js's own schedule (500 up to 2,500 points ... 200 beyond 7,500) */
  nEpochs?: number;
}

export function runUmapJs(knnIn: KnnGraph, o: UmapJsOptions, onEpoch?: (epoch: number, nEpochs: number) => void): Float32Array {
  const knn = truncateKnn(knnIn, o.nNeighbors);
  const { n, k } = knn;
  const indices: number[][] = new Array(n);
  const distances: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    indices[i] = Array.from(knn.indices.subarray(i * k, (i + 1) * k));
    distances[i] = Array.from(knn.distances.subarray(i * k, (i + 1) * k));
  }
  const umap = new UMAP({
    nNeighbors: o.nNeighbors,
    nComponents: o.nComponents,
    minDist: o.minDist,
    random: mulberry32(o.seed),
    // no distanceFn: it only serves umap-js's own neighbour search and transform(), neither used
    ...(o.nEpochs ? { nEpochs: o.nEpochs } : {}),
  });
  umap.setPrecomputedKNN(indices, distances);
  const placeholder: number[][] = new Array(n);
  for (let i = 0; i < n; i++) placeholder[i] = [];
  const nEpochs = umap.initializeFit(placeholder);
  for (let e = 0; e < nEpochs; e++) {
    umap.step();
    if (onEpoch) onEpoch(e + 1, nEpochs);
  }
  const emb = umap.getEmbedding();
  const dim = o.nComponents;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const r = emb[i]!;
    for (let d = 0; d < dim; d++) out[i * dim + d] = r[d]!;
  }
  return out;
}
