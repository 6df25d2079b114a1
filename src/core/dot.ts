/** The dot product of `v` with the `v.length` values of `m` from `offset` (a row of a row-major matrix, or a whole vector); no allocation. */
export function dot(m: Float32Array, v: Float32Array, offset = 0): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += m[offset + j]! * v[j]!;
  return s;
}
