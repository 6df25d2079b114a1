/**
 * Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations. For the
 * p x p Rayleigh-Ritz steps (p about 10), where accuracy matters and speed does not.
 */
export interface SymmetricEigen {
  /** eigenvalues, sorted descending */
  values: Float64Array;
  /** eigenvectors as columns of a row-major p x p matrix, in the order of `values` */
  vectors: Float64Array;
}

export function symmetricEigen(matrix: Float64Array, p: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i * p + j]! * a[i * p + j]!;
    if (off < 1e-22) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j]!;
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (a[j * p + j]! - a[i * p + i]!) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < p; r++) {
          // rotate columns i and j of a
          const ari = a[r * p + i]!;
          const arj = a[r * p + j]!;
          a[r * p + i] = c * ari - s * arj;
          a[r * p + j] = s * ari + c * arj;
        }
        for (let r = 0; r < p; r++) {
          // rotate rows i and j of a
          const air = a[i * p + r]!;
          const ajr = a[j * p + r]!;
          a[i * p + r] = c * air - s * ajr;
          a[j * p + r] = s * air + c * ajr;
        }
        for (let r = 0; r < p; r++) {
          const vri = v[r * p + i]!;
          const vrj = v[r * p + j]!;
          v[r * p + i] = c * vri - s * vrj;
          v[r * p + j] = s * vri + c * vrj;
        }
      }
    }
  }
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => a[y * p + y]! - a[x * p + x]!);
  const values = new Float64Array(p);
  const vectors = new Float64Array(p * p);
  order.forEach((src, dst) => {
    values[dst] = a[src * p + src]!;
    for (let r = 0; r < p; r++) vectors[r * p + dst] = v[r * p + src]!;
  });
  return { values, vectors };
}
