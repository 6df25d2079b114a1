/**
 * Exact k-NN by scanning all pairs: O(n^2 d). For measuring HNSW recall, for quality metrics on
 * low-dimensional outputs and for small inputs; not for the pipeline at scale.
 */
import type { KnnGraph, Matrix } from '../core/types.js';

export type KnnMetric = 'cosine' | 'euclidean';

/**
 * Exact k nearest neighbours of every row, self first at distance 0 (same layout as
 * buildKnnGraph). Cosine distances are 1 - cos; euclidean distances are not squared.
 * Each pair is computed once and offered to both rows' lists.
 */
export function bruteForceKnn(x: Matrix, k: number, metric: KnnMetric = 'cosine'): KnnGraph {
  const { rows: n, cols: dim } = x;
  if (k < 1 || k > n) throw new Error(`bruteForceKnn: k must be in [1, ${n}], got ${k}`);
  const data = metric === 'cosine' ? normalizedCopy(x) : x.data;
  const indices = new Int32Array(n * k);
  // Lists hold squared euclidean or (1 - cos) while scanning; sqrt at the end for euclidean.
  const dist = new Float64Array(n * k).fill(Infinity);
  const filled = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    indices[i * k] = i;
    dist[i * k] = 0;
    filled[i] = 1;
  }
  for (let i = 0; i < n; i++) {
    const oi = i * dim;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dim;
      let d: number;
      if (metric === 'cosine') {
        let dot = 0;
        for (let t = 0; t < dim; t++) dot += data[oi + t]! * data[oj + t]!;
        d = 1 - dot;
        if (d < 0) d = 0;
      } else {
        d = 0;
        for (let t = 0; t < dim; t++) {
          const diff = data[oi + t]! - data[oj + t]!;
          d += diff * diff;
        }
      }
      offer(indices, dist, filled, k, i, j, d);
      offer(indices, dist, filled, k, j, i, d);
    }
  }
  const distances = new Float32Array(n * k);
  for (let t = 0; t < n * k; t++) distances[t] = metric === 'euclidean' ? Math.sqrt(dist[t]!) : dist[t]!;
  return { n, k, indices, distances };
}

/** Offers j at distance d to row i's sorted list (slot 0 is self and never moves). */
function offer(indices: Int32Array, dist: Float64Array, filled: Int32Array, k: number, i: number, j: number, d: number): void {
  const base = i * k;
  const f = filled[i]!;
  if (f === k && d >= dist[base + k - 1]!) return;
  let p = f < k ? base + f : base + k - 1;
  if (f < k) filled[i] = f + 1;
  while (p > base + 1 && dist[p - 1]! > d) {
    dist[p] = dist[p - 1]!;
    indices[p] = indices[p - 1]!;
    p--;
  }
  dist[p] = d;
  indices[p] = j;
}

function normalizedCopy(x: Matrix): Float32Array {
  const { rows: n, cols: dim, data } = x;
  const out = new Float32Array(data.length);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    let s = 0;
    for (let t = 0; t < dim; t++) s += data[o + t]! * data[o + t]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < dim; t++) out[o + t] = data[o + t]! * inv;
  }
  return out;
}
