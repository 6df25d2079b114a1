/**
 * The narrow interfaces between pipeline stages. Every stage takes and returns typed arrays;
 * a stage can be swapped (another model, PCA instead of UMAP, another clusterer) without touching
 * the others.
 */

/** A dense row-major matrix of float32: row i is data[i*cols .. (i+1)*cols). */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

export function createMatrix(rows: number, cols: number, data?: Float32Array): Matrix {
  const d = data ?? new Float32Array(rows * cols);
  if (d.length !== rows * cols) throw new Error(`matrix data has ${d.length} values, expected ${rows}x${cols}`);
  return { rows, cols, data: d };
}

export function matrixRow(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** A new matrix of the rows of m at the given indices, in that order. */
export function rowsOf(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = createMatrix(rows.length, m.cols);
  for (let j = 0; j < rows.length; j++) out.data.set(matrixRow(m, rows[j]!), j * m.cols);
  return out;
}

/** Progress callback: done out of total units of the stage. */
export type Progress = (done: number, total: number) => void;

export type { JobPriority as EmbedPriority } from './workers/options.js';
import type { JobPriority as EmbedPriority } from './workers/options.js';

/** Turns texts into L2-normalised sentence embeddings. */
export interface Embedder {
  readonly dim: number;
  readonly modelId: string;
  /** `priority: 'low'` (searches) waits behind every normal batch (ingestion) in the queue. */
  embed(texts: readonly string[], onProgress?: Progress, priority?: EmbedPriority): Promise<Matrix>;
  close(): Promise<void>;
}

/**
 * k nearest neighbours of every row (the row itself first, at distance 0, as umap-learn expects).
 * indices/distances are n*k, row-major. Distances are cosine distances (1 - cos).
 */
export interface KnnGraph {
  readonly n: number;
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float32Array;
}

export interface ReducerOptions {
  nNeighbors: number;
  nComponents: number;
  minDist: number;
  seed: number;
}

/** Reduces high-dimensional embeddings (with their precomputed k-NN graph) to a few dimensions. */
export interface Reducer {
  fit(x: Matrix, knn: KnnGraph, onProgress?: Progress): Promise<Matrix>;
}

/**
 * A Reducer that can also run in the calling thread, for a caller that already is a worker (the
 * streaming refit): the same computation as `fit`, same result.
 */
export interface SyncReducer extends Reducer {
  fitSync(x: Matrix, knn: KnnGraph, onProgress?: Progress): Matrix;
}

export interface ClusterResult {
  /** cluster per row, -1 = outlier */
  readonly labels: Int32Array;
  /** membership strength in [0,1]; 0 for outliers */
  readonly probabilities: Float32Array;
}

/** Clusters (reduced) points. */
export interface Clusterer {
  fit(x: Matrix): Promise<ClusterResult>;
}

/** A Clusterer whose fit can also be called synchronously (the streaming refit's worker). */
export interface SyncClusterer extends Clusterer {
  fitSync(x: Matrix): ClusterResult;
}

/** A document as read from input. */
export interface Doc {
  id: string;
  text: string;
  /** epoch ms, if the input had a timestamp */
  ts?: number;
  /** ground-truth label when the input has one (for eval) */
  label?: string;
  meta?: Record<string, unknown>;
}
