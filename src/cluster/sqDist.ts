/**
 * Squared Euclidean distance between a[aOff..aOff+dim) and b[bOff..bOff+dim), summed in dimension
 * order (the k-NN search, both spanning-tree builders and their parity tests rely on that order).
 * Small and monomorphic (Float64Array only), so V8 inlines it into the hot loops that call it.
 */
export function sqDist(a: Float64Array, aOff: number, b: Float64Array, bOff: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const t = a[aOff + d] - b[bOff + d];
    s += t * t;
  }
  return s;
}
