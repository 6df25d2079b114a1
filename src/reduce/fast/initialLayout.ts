/**
 * The starting layout of UMAP's optimisation, as umap-learn builds it: a spectral, PCA or random
 * layout, scaled so that its largest coordinate is 10 plus tiny noise (`noisy_scale_coords`), then
 * every dimension rescaled to [0, 10].
 */
import type { Matrix } from '../../core/types.js';
import { Mulberry32 } from '../../core/random.js';
import { pca } from '../pca.js';
import { spectralInit, type SpectralOptions } from './spectralInit.js';
import type { FuzzyGraph } from './fuzzySimplicialSet.js';

export type InitMethod = 'spectral' | 'pca' | 'random';

export function initialLayout(
  method: InitMethod,
  g: FuzzyGraph,
  dim: number,
  rng: Mulberry32,
  x?: Matrix,
  spectral?: Partial<SpectralOptions>,
): Float32Array {
  const n = g.n;
  let raw: Float64Array;
  if (method === 'random') {
    raw = new Float64Array(n * dim);
    for (let t = 0; t < raw.length; t++) raw[t] = rng.next() * 20 - 10;
  } else if (method === 'pca') {
    if (!x) throw new Error("UMAP init 'pca' needs the input matrix");
    raw = Float64Array.from(pca(x, dim, { seed: rng.nextUint32() }).scores.data);
    noisyScale(raw, rng);
  } else {
    raw = spectralInit(g, dim, rng, x, spectral);
    noisyScale(raw, rng);
  }
  const out = new Float32Array(n * dim);
  for (let d = 0; d < dim; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = raw[i * dim + d]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi - lo || 1;
    for (let i = 0; i < n; i++) out[i * dim + d] = (10 * (raw[i * dim + d]! - lo)) / span;
  }
  return out;
}

/** Scale so that max |coordinate| = 10, then add N(0, 1e-4) noise (umap-learn noisy_scale_coords). */
function noisyScale(a: Float64Array, rng: Mulberry32): void {
  let maxAbs = 0;
  for (let t = 0; t < a.length; t++) if (Math.abs(a[t]!) > maxAbs) maxAbs = Math.abs(a[t]!);
  const s = maxAbs > 0 ? 10 / maxAbs : 1;
  for (let t = 0; t < a.length; t++) a[t] = a[t]! * s + 1e-4 * rng.nextGaussian();
}
