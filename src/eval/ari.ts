/**
 * Adjusted Rand index, computed as scikit-learn's adjusted_rand_score: from the pair confusion
 * matrix (tn, fp, fn, tp) of the contingency table,
 *   ARI = 2 (tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)),
 * and 1.0 when fn = fp = 0 (full agreement or no data). The pair counts are exact integers
 * (BigInt) as in Python; n² overflows 2^53 already at ~95k documents.
 * Every distinct value is one class, -1 (HDBSCAN's noise) included; documents whose label is
 * null/undefined are left out (see labelCodes.ts). 1 = identical partitions, about 0 = chance.
 */
import { contingency } from './contingency.js';
import { encodeLabelPairs, type Label } from './labelCodes.js';

export function adjustedRandIndex(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  const c = contingency(encodeLabelPairs(labelsTrue, labelsPred));
  const n = BigInt(c.n);
  let sumSquares = 0n;
  let dotK = 0n; // sum_ij n_ij * clusterSize_j
  let dotC = 0n; // sum_ij n_ij * classSize_i
  for (let k = 0; k < c.cellCount.length; k++) {
    const v = BigInt(c.cellCount[k]!);
    sumSquares += v * v;
    dotK += v * BigInt(c.clusterSizes[c.cellCluster[k]!]!);
    dotC += v * BigInt(c.classSizes[c.cellClass[k]!]!);
  }
  const tp = sumSquares - n;
  const fp = dotK - sumSquares;
  const fn = dotC - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1.0;
  const num = 2n * (tp * tn - fn * fp);
  const den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  // Number() rounds each correctly; the quotient is then within a few ulps of Python's.
  return Number(num) / Number(den);
}
