/**
 * Points in at most n dimensions with a given Gram matrix (G = X Xᵀ), by pivoted Cholesky: their
 * pairwise euclidean distances are those of the original vectors. Lets HDBSCAN run over n
 * L2-normalised c-TF-IDF rows (tens of thousands of words wide) as n points in n dimensions.
 */
import { createMatrix, type Matrix } from '../core/types.js';

/** gram: n x n, row-major, symmetric positive semi-definite. Columns past the rank are zero. */
export function pointsFromGram(gram: Float64Array, n: number, tol = 1e-12): Matrix {
  const g = Float64Array.from(gram);
  const x = new Float64Array(n * n); // x[i * n + k]: coordinate k of point i
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = g[i * n + i]!;
  const done = new Uint8Array(n);
  const maxDiag = Math.max(0, ...diag);
  for (let k = 0; k < n; k++) {
    let p = -1;
    for (let i = 0; i < n; i++) if (!done[i] && (p < 0 || diag[i]! > diag[p]!)) p = i;
    if (p < 0 || diag[p]! <= tol * Math.max(1, maxDiag)) break;
    done[p] = 1;
    const piv = Math.sqrt(diag[p]!);
    x[p * n + k] = piv;
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      let s = g[i * n + p]!;
      for (let j = 0; j < k; j++) s -= x[i * n + j]! * x[p * n + j]!;
      const v = s / piv;
      x[i * n + k] = v;
      diag[i]! -= v * v;
    }
  }
  return createMatrix(n, n, Float32Array.from(x));
}
