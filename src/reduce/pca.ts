/**
 * PCA by randomised subspace (power) iteration on typed arrays: a few passes over the data, never
 * forming the d x d covariance. Deterministic for a given seed; each component's sign is fixed so
 * that its largest loading is positive.
 */
import { createMatrix, type Matrix } from '../core/types.js';
import { Mulberry32 } from '../core/random.js';
import { orthonormalizeColumns } from './linalg/orthonormalize.js';
import { symmetricEigen } from './linalg/symmetricEigen.js';

export interface PcaOptions {
  /** power iterations; 4-8 is plenty when the leading spectrum decays */
  iterations: number;
  /** extra columns carried along for accuracy of the last wanted components */
  oversample: number;
  seed: number;
}

export const DEFAULT_PCA_OPTIONS: Readonly<PcaOptions> = { iterations: 6, oversample: 6, seed: 42 };

export interface PcaResult {
  /** the projected rows: n x nComponents */
  scores: Matrix;
  /** principal axes: d x nComponents, row-major */
  components: Float64Array;
  /** variance along each axis */
  variances: Float64Array;
  mean: Float64Array;
}

export function pca(x: Matrix, nComponents: number, options: Partial<PcaOptions> = {}): PcaResult {
  const o = { ...DEFAULT_PCA_OPTIONS, ...options };
  const { rows: n, cols: d, data } = x;
  if (nComponents < 1 || nComponents > Math.min(n, d)) throw new Error(`pca: nComponents must be in [1, ${Math.min(n, d)}], got ${nComponents}`);
  const p = Math.min(d, n, nComponents + o.oversample);
  const rng = new Mulberry32(o.seed);

  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t] /= n;

  let q: Float64Array = new Float64Array(d * p);
  for (let t = 0; t < q.length; t++) q[t] = rng.nextGaussian();
  orthonormalizeColumns(q, p, 0, d, rng);
  const z = new Float64Array(n * p);
  for (let it = 0; it < o.iterations; it++) {
    projectCentered(data, n, d, mean, q, p, z);
    q = backProjectCentered(data, n, d, mean, z, p);
    orthonormalizeColumns(q, p, 0, d, rng);
  }
  // Rayleigh-Ritz: eigen-decompose Z^T Z (= n * Q^T C Q) and rotate Q.
  projectCentered(data, n, d, mean, q, p, z);
  const h = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < p; a++) {
      const za = z[i * p + a]!;
      for (let b = a; b < p; b++) h[a * p + b] += za * z[i * p + b]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) h[a * p + b] = h[b * p + a]!;
  const eig = symmetricEigen(h, p);
  const components = new Float64Array(d * nComponents);
  for (let t = 0; t < d; t++) {
    for (let c = 0; c < nComponents; c++) {
      let s = 0;
      for (let a = 0; a < p; a++) s += q[t * p + a]! * eig.vectors[a * p + c]!;
      components[t * nComponents + c] = s;
    }
  }
  for (let c = 0; c < nComponents; c++) {
    let best = 0;
    for (let t = 0; t < d; t++) if (Math.abs(components[t * nComponents + c]!) > Math.abs(best)) best = components[t * nComponents + c]!;
    if (best < 0) for (let t = 0; t < d; t++) components[t * nComponents + c] = -components[t * nComponents + c]!;
  }
  const variances = new Float64Array(nComponents);
  for (let c = 0; c < nComponents; c++) variances[c] = eig.values[c]! / Math.max(1, n - 1);
  const scores = createMatrix(n, nComponents);
  const zz = new Float64Array(n * nComponents);
  projectCentered(data, n, d, mean, components, nComponents, zz);
  for (let t = 0; t < zz.length; t++) scores.data[t] = zz[t]!;
  return { scores, components, variances, mean };
}

/** out (n x p) = (X - 1 mean^T) Q, Q being d x p row-major. */
function projectCentered(data: Float32Array, n: number, d: number, mean: Float64Array, q: Float64Array, p: number, out: Float64Array): void {
  const mq = new Float64Array(p);
  for (let t = 0; t < d; t++) for (let c = 0; c < p; c++) mq[c] += mean[t]! * q[t * p + c]!;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const oi = i * p;
    for (let t = 0; t < d; t++) {
      const xv = data[i * d + t]!;
      const qt = t * p;
      for (let c = 0; c < p; c++) out[oi + c] += xv * q[qt + c]!;
    }
    for (let c = 0; c < p; c++) out[oi + c] -= mq[c]!;
  }
}

/** (X - 1 mean^T)^T Z: d x p. */
function backProjectCentered(data: Float32Array, n: number, d: number, mean: Float64Array, z: Float64Array, p: number): Float64Array {
  const w = new Float64Array(d * p);
  const zsum = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const zi = i * p;
    for (let c = 0; c < p; c++) zsum[c] += z[zi + c]!;
    for (let t = 0; t < d; t++) {
      const xv = data[i * d + t]!;
      const wt = t * p;
      for (let c = 0; c < p; c++) w[wt + c] += xv * z[zi + c]!;
    }
  }
  for (let t = 0; t < d; t++) for (let c = 0; c < p; c++) w[t * p + c] -= mean[t]! * zsum[c]!;
  return w;
}
