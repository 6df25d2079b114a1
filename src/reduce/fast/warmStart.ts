/**
 * A warm start for UMAP's optimisation: the layout of a previous fit. Points that were in it keep
 * their coordinates; each new point starts at the mean of its already placed k-NN neighbours
 * (as umap-learn's `transform` initialises new points), in rounds, so that a new point whose
 * neighbours are all new is placed once they are; a point with no placed neighbour at all starts
 * at a random placed point. As a cold start's layout, every dimension is rescaled to [0, 10]
 * (repeated refits would otherwise stretch it); tiny noise keeps points that start together apart.
 */
import type { KnnGraph } from '../../core/types.js';
import type { Mulberry32 } from '../../core/random.js';

export interface InitialLayout {
  /** n × nComponents, row-major; rows with known[i] = 0 are ignored */
  layout: Float32Array;
  /** per point: 1 when its row of `layout` holds its previous coordinates */
  known: Uint8Array;
}

/** Rounds of placing new points by their placed neighbours before the rest go at random. */
const PLACEMENT_ROUNDS = 8;

export function warmLayout(knn: KnnGraph, initial: InitialLayout, dim: number, rng: Mulberry32): Float32Array {
  const { n, k, indices } = knn;
  if (initial.known.length !== n || initial.layout.length !== n * dim) {
    throw new Error(`UMAP warm start: a layout of ${initial.known.length} points × ${initial.layout.length / Math.max(1, initial.known.length)} for ${n} × ${dim}`);
  }
  const out = Float32Array.from(initial.layout);
  const placed = Uint8Array.from(initial.known);
  const placedList: number[] = [];
  for (let i = 0; i < n; i++) if (placed[i]) placedList.push(i);
  const sum = new Float64Array(dim);
  for (let round = 0; round < PLACEMENT_ROUNDS; round++) {
    const newly: number[] = [];
    for (let i = 0; i < n; i++) {
      if (placed[i]) continue;
      sum.fill(0);
      let c = 0;
      for (let j = 0; j < k; j++) {
        const nb = indices[i * k + j]!;
        if (nb < 0 || nb === i || !placed[nb]) continue;
        for (let d = 0; d < dim; d++) sum[d] += out[nb * dim + d]!;
        c++;
      }
      if (c === 0) continue;
      for (let d = 0; d < dim; d++) out[i * dim + d] = sum[d]! / c;
      newly.push(i);
    }
    // placed only after the round, so that a round's order does not matter
    for (const i of newly) {
      placed[i] = 1;
      placedList.push(i);
    }
    if (newly.length === 0) break;
  }
  if (placedList.length === 0) throw new Error('UMAP warm start: no point has a previous position');
  for (let i = 0; i < n; i++) {
    if (placed[i]) continue;
    const from = placedList[Math.floor(rng.next() * placedList.length)]!;
    for (let d = 0; d < dim; d++) out[i * dim + d] = out[from * dim + d]!;
  }
  // every dimension rescaled to [0, 10] as a cold start's (initialLayout.ts), plus noise at 1e-4 of that
  for (let d = 0; d < dim; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = out[i * dim + d]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi - lo || 1;
    for (let i = 0; i < n; i++) out[i * dim + d] = (10 * (out[i * dim + d]! - lo)) / span + 1e-3 * rng.nextGaussian();
  }
  return out;
}
