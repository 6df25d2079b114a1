import type { KnnGraph } from '../core/types.js';

/**
 * The first k columns of a k-NN graph (rows are sorted, self first), as umap-learn does when the
 * precomputed graph has more neighbours than n_neighbors. Returns the graph itself when k matches.
 */
export function truncateKnn(knn: KnnGraph, k: number): KnnGraph {
  if (knn.k === k) return knn;
  if (knn.k < k) throw new Error(`UMAP: the k-NN graph has ${knn.k} neighbours per point, nNeighbors = ${k} needs at least that many`);
  const indices = new Int32Array(knn.n * k);
  const distances = new Float32Array(knn.n * k);
  for (let i = 0; i < knn.n; i++) {
    indices.set(knn.indices.subarray(i * knn.k, i * knn.k + k), i * k);
    distances.set(knn.distances.subarray(i * knn.k, i * knn.k + k), i * k);
  }
  return { n: knn.n, k, indices, distances };
}
