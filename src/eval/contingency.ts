/**
 * The sparse contingency table of two labelings (sklearn contingency_matrix): the number of
 * documents in class i and cluster j, for the non-zero cells only.
 */
import type { LabelCodes } from './labelCodes.js';

export interface Contingency {
  /** Non-zero cells: class, cluster and count, in class-then-cluster order. */
  readonly cellClass: Int32Array;
  readonly cellCluster: Int32Array;
  readonly cellCount: Float64Array;
  /** Documents per class and per cluster. */
  readonly classSizes: Float64Array;
  readonly clusterSizes: Float64Array;
  readonly n: number;
}

export function contingency(codes: LabelCodes): Contingency {
  const { truth, pred, nClasses, nClusters } = codes;
  const cells = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    const key = truth[i]! * nClusters + pred[i]!;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const keys = [...cells.keys()].sort((a, b) => a - b);
  const cellClass = new Int32Array(keys.length);
  const cellCluster = new Int32Array(keys.length);
  const cellCount = new Float64Array(keys.length);
  const classSizes = new Float64Array(nClasses);
  const clusterSizes = new Float64Array(nClusters);
  keys.forEach((k, j) => {
    const c = Math.floor(k / nClusters);
    const q = k - c * nClusters;
    const v = cells.get(k)!;
    cellClass[j] = c;
    cellCluster[j] = q;
    cellCount[j] = v;
    classSizes[c]! += v;
    clusterSizes[q]! += v;
  });
  return { cellClass, cellCluster, cellCount, classSizes, clusterSizes, n: truth.length };
}
