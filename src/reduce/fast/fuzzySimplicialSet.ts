/**
 * UMAP's fuzzy simplicial set (umap-learn `fuzzy_simplicial_set` with set_op_mix_ratio 1) built
 * straight from the k-NN graph into typed arrays:
 *   w_ij = exp(-(d_ij - rho_i) / sigma_i)  (1 when d_ij <= rho_i, 0 for self),
 *   P = fuzzy union of w and its transpose: P_ij = w_ij + w_ji - w_ij * w_ji.
 * The result is a symmetric sparse matrix in CSR form (columns sorted within each row), the same
 * entries umap-learn's scipy matrix holds. umap-js builds the same thing in a Map keyed by
 * "row:col" strings, which is what makes it slow and memory hungry.
 */
import { sortCsrRows } from '../../core/sortRows.js';
import type { KnnGraph } from '../../core/types.js';
import { smoothKnnDistances } from './smoothKnnDistances.js';

/** A symmetric sparse matrix in CSR form. */
export interface FuzzyGraph {
  readonly n: number;
  /** row i's entries are at rowPtr[i] .. rowPtr[i+1]-1 */
  readonly rowPtr: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float32Array;
}

/** Directed membership strengths w_ij, laid out like the k-NN graph (n*k). */
export function membershipStrengths(knn: KnnGraph, sigmas: Float64Array, rhos: Float64Array): Float32Array {
  const { n, k, indices, distances } = knn;
  const w = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const rho = rhos[i]!;
    const sigma = sigmas[i]!;
    for (let j = 0; j < k; j++) {
      const t = i * k + j;
      const nb = indices[t]!;
      if (nb < 0 || nb === i) continue;
      const d = distances[t]! - rho;
      w[t] = d <= 0 || sigma === 0 ? 1 : Math.exp(-(d / sigma));
    }
  }
  return w;
}

/** Looks up w_ji (j's directed weight towards i), 0 if i is not among j's neighbours. */
function reverseWeight(indices: Int32Array, w: Float32Array, k: number, j: number, i: number): number {
  const base = j * k;
  for (let t = 0; t < k; t++) if (indices[base + t] === i) return w[base + t]!;
  return 0;
}

export function fuzzySimplicialSet(knn: KnnGraph, localConnectivity = 1): FuzzyGraph {
  const { n, k, indices } = knn;
  const { sigmas, rhos } = smoothKnnDistances(knn, localConnectivity);
  const w = membershipStrengths(knn, sigmas, rhos);

  // Every directed edge i->j with w_ij > 0 yields entry (i, j); if j->i is absent (or 0) it also
  // yields the mirror entry (j, i), since the union is symmetric. Count first, then fill.
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = i * k; t < (i + 1) * k; t++) {
      if (w[t]! <= 0) continue;
      const j = indices[t]!;
      count[i]++;
      if (reverseWeight(indices, w, k, j, i) <= 0) count[j]++;
    }
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i]! + count[i]!;
  const nnz = rowPtr[n]!;
  const cols = new Int32Array(nnz);
  const vals = new Float32Array(nnz);
  const cursor = rowPtr.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = i * k; t < (i + 1) * k; t++) {
      const wij = w[t]!;
      if (wij <= 0) continue;
      const j = indices[t]!;
      const wji = reverseWeight(indices, w, k, j, i);
      const v = wij + wji - wij * wji;
      cols[cursor[i]!] = j;
      vals[cursor[i]!++] = v;
      if (wji <= 0) {
        cols[cursor[j]!] = i;
        vals[cursor[j]!++] = v;
      }
    }
  }
  sortCsrRows(rowPtr, cols, vals); // rows are short: about k to 2k entries
  return { n, rowPtr, cols, vals };
}
