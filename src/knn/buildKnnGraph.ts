/**
 * The k-NN graph of a set of embeddings, via HNSW, in the layout umap-learn's nearest_neighbors
 * returns: row i lists i itself first at distance 0, then its k-1 nearest other points by
 * increasing cosine distance.
 */
import type { KnnGraph, Matrix } from '../core/types.js';
import { nativeSection } from '../core/workers/nativeSection.js';
import { HnswIndex, type HnswOptions } from './hnswIndex.js';

/**
 * Cosine distances at or below this are reported as exactly 0. hnswlib computes 1 - dot in float32
 * on normalised copies, so identical vectors come out at +-2e-7 instead of 0; UMAP's smooth-kNN
 * step then takes that noise as the distance to the nearest neighbour (rho). Snapping keeps
 * duplicates at 0, as the same points, which is what an exact metric would say.
 */
export const SAME_POINT_DISTANCE = 1e-6;

/** The HNSW options of the graph's index; efSearch is raised to at least k + 1. */
export type KnnGraphOptions = HnswOptions;

/**
 * Builds an HNSW index over the rows of `x` (labels = row numbers) and queries every row.
 * Returns the index too when the caller wants to keep it (e.g. to assign new points later).
 */
export function buildKnnGraphWithIndex(
  x: Matrix,
  k: number,
  opts: KnnGraphOptions,
  onProgress?: (done: number, total: number) => void,
): { graph: KnnGraph; index: HnswIndex } {
  const { rows: n, cols: dim, data } = x;
  if (!Number.isInteger(k) || k < 1) throw new Error(`buildKnnGraph: k must be a positive integer, got ${k}`);
  if (n < k) throw new Error(`buildKnnGraph: ${n} points cannot have ${k} neighbours each (self included); need at least k points`);
  const hnswOpts: HnswOptions = { M: opts.M, efConstruction: opts.efConstruction, seed: opts.seed, efSearch: Math.max(opts.efSearch, k + 1) };
  // Each hnswlib call is a native section: a supervised worker (the refit) is terminated only
  // between them, as terminating it inside one aborts the process (no-op elsewhere).
  const index = nativeSection(() => new HnswIndex(dim, n, hnswOpts));

  const total = 2 * n; // insertion + queries
  const step = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < n; i++) {
    nativeSection(() => index.add(i, data, i * dim));
    if (onProgress && i % step === 0) onProgress(i, total);
  }

  // Ask for one extra neighbour: hnsw usually returns the point itself first, but with duplicate
  // vectors (distance 0) it may put a twin first or leave self out; the spare keeps k-1 others.
  const q = Math.min(n, k + 1);
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const foundLabels = new Int32Array(q);
  const foundDist = new Float32Array(q);
  for (let i = 0; i < n; i++) {
    const m = nativeSection(() => index.searchInto(data, i * dim, q, foundLabels, foundDist));
    const base = i * k;
    indices[base] = i;
    distances[base] = 0;
    let filled = 1;
    for (let r = 0; r < m && filled < k; r++) {
      const lab = foundLabels[r]!;
      if (lab === i || containsLabel(indices, base + 1, base + filled, lab)) continue;
      indices[base + filled] = lab;
      const d = foundDist[r]!;
      distances[base + filled] = d > SAME_POINT_DISTANCE ? d : 0;
      filled++;
    }
    if (filled < k) {
      // Very rare (tiny or degenerate inputs): hnsw returned too few distinct points.
      filled = fillByScan(x, i, indices, distances, base, filled, k);
    }
    if (onProgress && i % step === 0) onProgress(n + i, total);
  }
  if (onProgress) onProgress(total, total);
  return { graph: { n, k, indices, distances }, index };
}

/** The k-NN graph (self first, cosine distances) of the rows of `x`. */
export function buildKnnGraph(x: Matrix, k: number, opts: KnnGraphOptions, onProgress?: (done: number, total: number) => void): KnnGraph {
  return buildKnnGraphWithIndex(x, k, opts, onProgress).graph;
}

function containsLabel(a: Int32Array, from: number, to: number, v: number): boolean {
  for (let t = from; t < to; t++) if (a[t] === v) return true;
  return false;
}

/**
 * Completes row i by an exact scan over all points (kept sorted by distance). Only runs when HNSW
 * came back short, so its O(n*d) cost does not matter.
 */
function fillByScan(x: Matrix, i: number, indices: Int32Array, distances: Float32Array, base: number, filled: number, k: number): number {
  const { rows: n, cols: dim, data } = x;
  const oi = i * dim;
  let ni = 0;
  for (let t = 0; t < dim; t++) ni += data[oi + t]! * data[oi + t]!;
  for (let j = 0; j < n; j++) {
    if (j === i || containsLabel(indices, base + 1, base + filled, j)) continue;
    const oj = j * dim;
    let dot = 0;
    let nj = 0;
    for (let t = 0; t < dim; t++) {
      dot += data[oi + t]! * data[oj + t]!;
      nj += data[oj + t]! * data[oj + t]!;
    }
    const denom = Math.sqrt(ni * nj);
    const raw = denom > 0 ? 1 - dot / denom : 1;
    const d = raw > SAME_POINT_DISTANCE ? raw : 0;
    if (filled < k) {
      insertSorted(indices, distances, base + 1, base + filled, j, d);
      filled++;
    } else if (d < distances[base + k - 1]!) {
      insertSorted(indices, distances, base + 1, base + k - 1, j, d);
    }
  }
  return filled;
}

/** Inserts (j, d) into the sorted run [from, to) shifting the tail right by one (the run grows into slot `to`). */
function insertSorted(indices: Int32Array, distances: Float32Array, from: number, to: number, j: number, d: number): void {
  let p = to;
  while (p > from && distances[p - 1]! > d) {
    indices[p] = indices[p - 1]!;
    distances[p] = distances[p - 1]!;
    p--;
  }
  indices[p] = j;
  distances[p] = d;
}
