/**
 * Seeded synthetic "embedding-like" data: c clusters on the unit sphere in d dimensions. Each
 * cluster has a centre and its own low-rank spread (intrinsic dimension r), plus a little isotropic
 * noise, the way sentence embeddings of one topic vary along a few directions. L2-normalised.
 */
import { createMatrix, type Matrix } from '../../src/core/types.js';
import { Mulberry32 } from '../../src/core/random.js';

export interface SyntheticOptions {
  n: number;
  dim: number;
  clusters: number;
  /** intrinsic dimension of each cluster's spread */
  rank?: number;
  /** size of the within-cluster spread relative to the distance between centres */
  spread?: number;
  /** isotropic noise per coordinate */
  noise?: number;
  seed?: number;
}

export function syntheticClusters(o: SyntheticOptions): { x: Matrix; labels: Int32Array } {
  const { n, dim, clusters } = o;
  const rank = o.rank ?? 8;
  const spread = o.spread ?? 0.5;
  const noise = o.noise ?? 0.02;
  const rng = new Mulberry32(o.seed ?? 1);
  const centres = new Float32Array(clusters * dim);
  for (let t = 0; t < centres.length; t++) centres[t] = rng.nextGaussian() / Math.sqrt(dim);
  const bases = new Float32Array(clusters * rank * dim);
  for (let t = 0; t < bases.length; t++) bases[t] = (rng.nextGaussian() / Math.sqrt(dim)) * spread;
  const x = createMatrix(n, dim);
  const labels = new Int32Array(n);
  const coef = new Float64Array(rank);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let r = 0; r < rank; r++) coef[r] = rng.nextGaussian();
    const o2 = i * dim;
    let norm = 0;
    for (let t = 0; t < dim; t++) {
      let v = centres[c * dim + t]! + noise * rng.nextGaussian() / Math.sqrt(dim) * 10;
      for (let r = 0; r < rank; r++) v += coef[r]! * bases[(c * rank + r) * dim + t]!;
      x.data[o2 + t] = v;
      norm += v * v;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let t = 0; t < dim; t++) x.data[o2 + t]! *= inv;
  }
  return { x, labels };
}

/** Uniform random directions: the hardest case for approximate search (no structure at all). */
export function randomSphere(n: number, dim: number, seed = 1): Matrix {
  const rng = new Mulberry32(seed);
  const x = createMatrix(n, dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let t = 0; t < dim; t++) {
      const v = rng.nextGaussian();
      x.data[i * dim + t] = v;
      norm += v * v;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let t = 0; t < dim; t++) x.data[i * dim + t]! *= inv;
  }
  return x;
}
