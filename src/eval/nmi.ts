/**
 * Normalized mutual information with arithmetic normalisation, computed as scikit-learn's
 * normalized_mutual_info_score(labels_true, labels_pred) (average_method="arithmetic"), natural log:
 *   NMI = MI(U, V) / ((H(U) + H(V)) / 2)
 * with sklearn's special cases: 1.0 when both labelings have one class (or none); 0.0 when MI = 0.
 * Documents without a label are ignored (see labelCodes.ts); the outlier topic -1 is a cluster
 * like any other.
 */
import { contingency } from './contingency.js';
import { encodeLabelPairs, type Label } from './labelCodes.js';

export function normalizedMutualInfo(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  const codes = encodeLabelPairs(labelsTrue, labelsPred);
  if (codes.nClasses === codes.nClusters && codes.nClasses <= 1) return 1.0;
  const c = contingency(codes);
  const mi = mutualInfo(c.cellCount, c.cellClass, c.cellCluster, c.classSizes, c.clusterSizes);
  if (mi === 0) return 0.0;
  const h = (entropy(c.classSizes) + entropy(c.clusterSizes)) / 2;
  return mi / h;
}

/** sklearn mutual_info_score on a contingency table, term by term as it does it. */
function mutualInfo(
  nij: Float64Array,
  ci: Int32Array,
  cj: Int32Array,
  pi: Float64Array,
  pj: Float64Array,
): number {
  if (pi.length === 1 || pj.length === 1) return 0;
  let n = 0;
  for (let k = 0; k < nij.length; k++) n += nij[k]!;
  let sumPi = 0;
  for (let k = 0; k < pi.length; k++) sumPi += pi[k]!;
  let sumPj = 0;
  for (let k = 0; k < pj.length; k++) sumPj += pj[k]!;
  const logN = Math.log(n);
  const logPiPj = Math.log(sumPi) + Math.log(sumPj);
  let mi = 0;
  for (let k = 0; k < nij.length; k++) {
    const p = nij[k]! / n;
    const logOuter = -Math.log(pi[ci[k]!]! * pj[cj[k]!]!) + logPiPj;
    let term = p * (Math.log(nij[k]!) - logN) + p * logOuter;
    if (Math.abs(term) < Number.EPSILON) term = 0;
    mi += term;
  }
  return Math.max(mi, 0);
}

/** Entropy (natural log) of a labeling from its cluster sizes; 0 for a single cluster. */
function entropy(sizes: Float64Array): number {
  if (sizes.length <= 1) return 0;
  let total = 0;
  for (let k = 0; k < sizes.length; k++) total += sizes[k]!;
  const logTotal = Math.log(total);
  let h = 0;
  for (let k = 0; k < sizes.length; k++) h -= (sizes[k]! / total) * (Math.log(sizes[k]!) - logTotal);
  return h;
}
