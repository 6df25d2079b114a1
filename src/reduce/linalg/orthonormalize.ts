/**
 * Modified Gram-Schmidt on the p columns of a row-major block, restricted to rows [start, end),
 * after making each column orthogonal to fixed unit vectors over the same rows (e.g. the trivial
 * eigenvector). A column that vanishes (linearly dependent) is replaced by a fresh random one.
 */
import type { Mulberry32 } from '../../core/random.js';

export function orthonormalizeColumns(
  q: Float64Array,
  p: number,
  start: number,
  end: number,
  rng: Mulberry32,
  fixed: ReadonlyArray<Float64Array> = [],
): void {
  for (let c = 0; c < p; c++) {
    for (let attempt = 0; attempt < 3; attempt++) {
      // Two passes of projection ("twice is enough") keep orthogonality in float64.
      for (let pass = 0; pass < 2; pass++) {
        for (const f of fixed) {
          let dot = 0;
          for (let r = start; r < end; r++) dot += f[r]! * q[r * p + c]!;
          for (let r = start; r < end; r++) q[r * p + c] -= dot * f[r]!;
        }
        for (let prev = 0; prev < c; prev++) {
          let dot = 0;
          for (let r = start; r < end; r++) dot += q[r * p + prev]! * q[r * p + c]!;
          for (let r = start; r < end; r++) q[r * p + c] -= dot * q[r * p + prev]!;
        }
      }
      let norm = 0;
      for (let r = start; r < end; r++) norm += q[r * p + c]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-10) {
        for (let r = start; r < end; r++) q[r * p + c] /= norm;
        break;
      }
      for (let r = start; r < end; r++) q[r * p + c] = rng.nextGaussian();
    }
  }
}
