/**
 * Trustworthiness of a low-dimensional embedding (Venna & Kaski; scikit-learn's
 * `sklearn.manifold.trustworthiness`): how far, in the input space, the embedding's k nearest
 * neighbours of each point really are.
 *   T = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k^low(i) \ N_k^high(i)} (r(i, j) - k)
 * where r(i, j) is j's rank among i's neighbours in the input space (1 = nearest). 1 is perfect.
 *
 * The rank of j is the number of points closer to i than j, so no sort is needed: one distance
 * row per point, then a count for each intruder. O(n^2 (d + k)) time, O(n) extra memory.
 */
import type { Matrix } from '../../core/types.js';
import { bruteForceKnn, type KnnMetric } from '../../knn/bruteForceKnn.js';

export function trustworthiness(high: Matrix, low: Matrix, k = 15, highMetric: KnnMetric = 'cosine'): number {
  const n = high.rows;
  if (low.rows !== n) throw new Error(`trustworthiness: ${n} input rows but ${low.rows} embedded rows`);
  if (k >= n / 2) throw new Error(`trustworthiness: k = ${k} must be < n / 2 = ${n / 2}`);
  const lowKnn = bruteForceKnn(low, k + 1, 'euclidean');
  const highKnn = bruteForceKnn(high, k + 1, highMetric);
  const x = highMetric === 'cosine' ? normalizedRows(high) : high.data;
  const dim = high.cols;
  const row = new Float64Array(n);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    // Input-space neighbours of i (self excluded) as a small set.
    const hb = i * (k + 1);
    let haveRow = false;
    for (let a = 1; a <= k; a++) {
      const j = lowKnn.indices[i * (k + 1) + a]!;
      let inHigh = false;
      for (let b = 1; b <= k; b++) if (highKnn.indices[hb + b] === j) { inHigh = true; break; }
      if (inHigh) continue;
      if (!haveRow) {
        distanceRow(x, n, dim, i, highMetric, row);
        haveRow = true;
      }
      const dij = row[j]!;
      let rank = 0; // points strictly closer than j, self excluded
      for (let t = 0; t < n; t++) if (t !== i && row[t]! < dij) rank++;
      const excess = rank + 1 - k; // > 0 unless distances tie; scikit-learn sums positive ones only
      if (excess > 0) penalty += excess;
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}

function distanceRow(x: Float32Array, n: number, dim: number, i: number, metric: KnnMetric, out: Float64Array): void {
  const oi = i * dim;
  for (let j = 0; j < n; j++) {
    const oj = j * dim;
    let s = 0;
    if (metric === 'cosine') {
      for (let t = 0; t < dim; t++) s += x[oi + t]! * x[oj + t]!;
      out[j] = 1 - s;
    } else {
      for (let t = 0; t < dim; t++) {
        const d = x[oi + t]! - x[oj + t]!;
        s += d * d;
      }
      out[j] = s;
    }
  }
}

function normalizedRows(m: Matrix): Float32Array {
  const out = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let t = 0; t < m.cols; t++) s += m.data[i * m.cols + t]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < m.cols; t++) out[i * m.cols + t] = m.data[i * m.cols + t]! * inv;
  }
  return out;
}
