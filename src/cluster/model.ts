import type { HdbscanOptions } from './options.js';
import type { CondensedTree } from './types.js';

/**
 * A fitted HDBSCAN model: everything the fit produced that callers or approximatePredict need,
 * as plain typed arrays (see serialize.ts for the JSON form).
 *
 * "Internal" points are the input rows with only finite values (all rows, normally); the condensed
 * tree and the prediction data refer to internal indices, the per-row outputs to input rows.
 */
export interface HdbscanModel {
  readonly options: HdbscanOptions;
  /** rows of the input */
  readonly nRows: number;
  readonly dim: number;
  /** internal point -> input row; null when every row was finite (the identity) */
  readonly rowIndex: Int32Array | null;
  /** internal points, row-major (kept for approximatePredict) */
  readonly data: Float32Array;
  /** min_samples before clamping to the data size (used by prediction, as the package does) */
  readonly minSamples: number;
  /** per internal point: distance to its min_samples-th neighbour counting itself (prediction data) */
  readonly predictionCore: Float64Array;
  readonly condensedTree: CondensedTree;
  /** selected cluster index (condensed id - n) of each label */
  readonly selected: Int32Array;
  /** per input row, -1 = noise (also for rows with non-finite values) */
  readonly labels: Int32Array;
  /** per input row, membership strength in [0, 1] */
  readonly probabilities: Float64Array;
  /** per input row, GLOSH outlier score (0 for rows with non-finite values) */
  readonly outlierScores: Float64Array;
  /** per label, the package's cluster_persistence_ */
  readonly persistence: Float64Array;
}

/** Wall-clock milliseconds of each fit step, for benchmarks. */
export interface FitTimings {
  coreDistances: number;
  mst: number;
  tree: number;
  total: number;
}
