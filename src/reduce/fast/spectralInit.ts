/**
 * UMAP's spectral initialisation (umap-learn `spectral_layout`): the eigenvectors of the
 * normalised graph Laplacian with the smallest non-trivial eigenvalues, i.e. the largest of
 * N = D^-1/2 W D^-1/2. umap-learn calls ARPACK; here block subspace iteration on (I + N) / 2
 * (eigenvalues in [0, 1], same eigenvectors) with the trivial eigenvector sqrt(deg) projected out,
 * then a Rayleigh-Ritz step. It need not converge fully: about a hundred iterations give the smooth,
 * low-frequency layout that makes a good starting point, which is all an initialisation needs.
 *
 * Disconnected graphs (common with text: duplicates, tight off-topic groups) are handled like
 * umap-learn's multi_component_layout: every component is embedded on its own, scaled, and placed
 * at a position of its own (a simplex corner when there are few components, else the PCA of the
 * component centroids in input space). Components too small to embed are scattered at random
 * around their position.
 */
import type { Matrix } from '../../core/types.js';
import { Mulberry32 } from '../../core/random.js';
import { orthonormalizeColumns } from '../linalg/orthonormalize.js';
import { symmetricEigen } from '../linalg/symmetricEigen.js';
import { pca } from '../pca.js';
import { connectedComponents } from './connectedComponents.js';
import type { FuzzyGraph } from './fuzzySimplicialSet.js';

export interface SpectralOptions {
  iterations: number;
  /** extra block columns beyond dim (better convergence of the last wanted vectors) */
  extra: number;
}

// 100 iterations: on 8,000 20-Newsgroups embeddings the Ritz residuals are ~5e-3 (1e-3 at 200,
// 1e-11 at 1000) and the eigenvalues agree to 3 decimals: converged enough for a starting layout.
export const DEFAULT_SPECTRAL_OPTIONS: Readonly<SpectralOptions> = { iterations: 100, extra: 3 };

/** Returns an n x dim row-major layout (not yet scaled to UMAP's [0, 10] box). */
export function spectralInit(g: FuzzyGraph, dim: number, rng: Mulberry32, x?: Matrix, options: Partial<SpectralOptions> = {}): Float64Array {
  const o = { ...DEFAULT_SPECTRAL_OPTIONS, ...options };
  const { n, rowPtr, cols, vals } = g;
  const comps = connectedComponents(g);
  const nComp = comps.sizes.length;

  // Lay components out contiguously: perm[r] = vertex at position r, pos[v] = its position.
  const start = new Int32Array(nComp + 1);
  for (let c = 0; c < nComp; c++) start[c + 1] = start[c]! + comps.sizes[c]!;
  const perm = new Int32Array(n);
  const pos = new Int32Array(n);
  const fill = start.slice(0, nComp);
  for (let v = 0; v < n; v++) {
    const r = fill[comps.label[v]!]!++;
    perm[r] = v;
    pos[v] = r;
  }
  const embeddable = (c: number): boolean => comps.sizes[c]! >= 2 * dim && comps.sizes[c]! > dim + 1 + o.extra;

  // Degrees, the trivial eigenvector (unit sqrt(deg) per component), normalised weights.
  const invSqrt = new Float64Array(n);
  const trivial = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let deg = 0;
    for (let t = rowPtr[v]!; t < rowPtr[v + 1]!; t++) deg += vals[t]!;
    invSqrt[v] = deg > 0 ? 1 / Math.sqrt(deg) : 0;
    trivial[pos[v]!] = Math.sqrt(deg);
  }
  for (let c = 0; c < nComp; c++) {
    let s = 0;
    for (let r = start[c]!; r < start[c + 1]!; r++) s += trivial[r]! ** 2;
    s = Math.sqrt(s) || 1;
    for (let r = start[c]!; r < start[c + 1]!; r++) trivial[r] /= s;
  }
  const nv = new Float64Array(vals.length);
  const colPos = new Int32Array(vals.length);
  for (let v = 0; v < n; v++) {
    for (let t = rowPtr[v]!; t < rowPtr[v + 1]!; t++) {
      nv[t] = vals[t]! * invSqrt[v]! * invSqrt[cols[t]!]!;
      colPos[t] = pos[cols[t]!]!;
    }
  }

  const p = dim + o.extra;
  let q = new Float64Array(n * p);
  let y = new Float64Array(n * p);
  for (let t = 0; t < q.length; t++) q[t] = rng.nextGaussian();
  const scratch = new Float64Array(n * p);
  const orthonormalize = (block: Float64Array): void => {
    for (let c = 0; c < nComp; c++) if (embeddable(c)) orthonormalizeColumns(block, p, start[c]!, start[c + 1]!, rng, [trivial], scratch);
  };
  const apply = (inp: Float64Array, out: Float64Array): void => halfPlusN(inp, out, p, perm, rowPtr, nv, colPos);
  orthonormalize(q);
  for (let it = 0; it < o.iterations; it++) {
    apply(q, y);
    const tmp = q;
    q = y;
    y = tmp;
    orthonormalize(q);
  }
  apply(q, y);

  // Per component: Rayleigh-Ritz, then scale into its slot of the meta layout.
  const meta = metaLayout(comps.label, comps.sizes, dim, rng, x);
  const out = new Float64Array(n * dim);
  for (let c = 0; c < nComp; c++) {
    const range = halfDistanceToNearest(meta, nComp, dim, c);
    const s0 = start[c]!;
    const s1 = start[c + 1]!;
    if (!embeddable(c)) {
      for (let r = s0; r < s1; r++) {
        const v = perm[r]!;
        for (let d = 0; d < dim; d++) out[v * dim + d] = meta[c * dim + d]! + (rng.next() * 2 - 1) * range;
      }
      continue;
    }
    const h = new Float64Array(p * p);
    for (let r = s0; r < s1; r++) {
      for (let a = 0; a < p; a++) {
        const qa = q[r * p + a]!;
        for (let b = 0; b < p; b++) h[a * p + b] += qa * y[r * p + b]!;
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) h[a * p + b] = h[b * p + a] = 0.5 * (h[a * p + b]! + h[b * p + a]!);
    const eig = symmetricEigen(h, p);
    let maxAbs = 0;
    for (let r = s0; r < s1; r++) {
      const v = perm[r]!;
      for (let d = 0; d < dim; d++) {
        let s = 0;
        for (let a = 0; a < p; a++) s += q[r * p + a]! * eig.vectors[a * p + d]!;
        out[v * dim + d] = s;
        if (Math.abs(s) > maxAbs) maxAbs = Math.abs(s);
      }
    }
    const scale = nComp === 1 ? 1 : range / (maxAbs || 1);
    for (let r = s0; r < s1; r++) {
      const v = perm[r]!;
      for (let d = 0; d < dim; d++) out[v * dim + d] = out[v * dim + d]! * scale + (nComp === 1 ? 0 : meta[c * dim + d]!);
    }
  }
  return out;
}

/**
 * out = (I + N) / 2 * inp on p-column blocks, rows in permuted order. Four columns at a time, summed
 * in registers: 2x faster than summing into `out` (same additions in the same order per entry, so
 * the same result bit for bit).
 */
function halfPlusN(inp: Float64Array, out: Float64Array, p: number, perm: Int32Array, rowPtr: Int32Array, nv: Float64Array, colPos: Int32Array): void {
  const n = perm.length;
  for (let r = 0; r < n; r++) {
    const v = perm[r]!;
    const or = r * p;
    const t0 = rowPtr[v]!;
    const t1 = rowPtr[v + 1]!;
    let c = 0;
    for (; c + 4 <= p; c += 4) {
      let s0 = 0.5 * inp[or + c]!;
      let s1 = 0.5 * inp[or + c + 1]!;
      let s2 = 0.5 * inp[or + c + 2]!;
      let s3 = 0.5 * inp[or + c + 3]!;
      for (let t = t0; t < t1; t++) {
        const w = 0.5 * nv[t]!;
        const oc = colPos[t]! * p + c;
        s0 += w * inp[oc]!;
        s1 += w * inp[oc + 1]!;
        s2 += w * inp[oc + 2]!;
        s3 += w * inp[oc + 3]!;
      }
      out[or + c] = s0;
      out[or + c + 1] = s1;
      out[or + c + 2] = s2;
      out[or + c + 3] = s3;
    }
    for (; c < p; c++) {
      let s = 0.5 * inp[or + c]!;
      for (let t = t0; t < t1; t++) s += 0.5 * nv[t]! * inp[colPos[t]! * p + c]!;
      out[or + c] = s;
    }
  }
}

/** Positions of the components (nComp x dim). */
function metaLayout(label: Int32Array, sizes: Int32Array, dim: number, rng: Mulberry32, x?: Matrix): Float64Array {
  const nComp = sizes.length;
  const meta = new Float64Array(nComp * dim);
  if (nComp === 1) return meta;
  if (nComp <= 2 * dim) {
    // +e_1, +e_2, ..., -e_1, -e_2, ...: equidistant corners, as umap-learn does
    const half = Math.ceil(nComp / 2);
    for (let c = 0; c < nComp; c++) meta[c * dim + (c % half)] = c < half ? 1 : -1;
    return meta;
  }
  if (!x) {
    for (let t = 0; t < meta.length; t++) meta[t] = rng.next() * 10;
    return meta;
  }
  const d = x.cols;
  const centroids = new Float32Array(nComp * d);
  for (let v = 0; v < label.length; v++) {
    const c = label[v]!;
    for (let t = 0; t < d; t++) centroids[c * d + t] += x.data[v * d + t]!;
  }
  for (let c = 0; c < nComp; c++) for (let t = 0; t < d; t++) centroids[c * d + t] /= sizes[c]!;
  const k = Math.min(dim, nComp, d);
  const proj = pca({ rows: nComp, cols: d, data: centroids }, k, { seed: rng.nextUint32() }).scores.data;
  let maxAbs = 0;
  for (let t = 0; t < proj.length; t++) maxAbs = Math.max(maxAbs, Math.abs(proj[t]!));
  for (let c = 0; c < nComp; c++) for (let j = 0; j < k; j++) meta[c * dim + j] = proj[c * k + j]! / (maxAbs || 1);
  // Components whose centroids coincide would share a slot: nudge them apart a little.
  for (let t = 0; t < meta.length; t++) meta[t] += (rng.next() - 0.5) * 1e-3;
  return meta;
}

function halfDistanceToNearest(meta: Float64Array, nComp: number, dim: number, c: number): number {
  if (nComp === 1) return 1;
  let best = Infinity;
  for (let o = 0; o < nComp; o++) {
    if (o === c) continue;
    let s = 0;
    for (let d = 0; d < dim; d++) s += (meta[c * dim + d]! - meta[o * dim + d]!) ** 2;
    if (s > 0 && s < best) best = s;
  }
  return Number.isFinite(best) ? Math.sqrt(best) / 2 : 1;
}
