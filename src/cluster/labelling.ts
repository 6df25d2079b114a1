import type { ClusterHierarchy } from './clusterHierarchy.js';
import type { CondensedTree } from './types.js';

export interface FlatClustering {
  /** cluster label per point, -1 = noise; labels number the selected clusters in id order */
  readonly labels: Int32Array;
  /** membership strength per point in [0, 1] (the package's probabilities_) */
  readonly probabilities: Float64Array;
  /** selected cluster index (id - nPoints) of each label */
  readonly selected: Int32Array;
  /** per label: stability / (size * max lambda), the package's cluster_persistence_ */
  readonly persistence: Float64Array;
}

/**
 * Labels points from the selected clusters, as the package's do_labelling / get_probabilities:
 * a point belongs to the nearest selected cluster above it in the condensed tree; points that
 * fell out of the tree above every selected cluster are noise. Its probability is the lambda at
 * which it left, over the largest lambda among the selected cluster's own rows, capped at 1.
 *
 * The root, when selected as the single cluster (allowSingleCluster), keeps only the points that
 * stay in it up to its largest lambda (or up to distance epsilon when epsilon > 0).
 */
export function labelPoints(
  tree: CondensedTree,
  h: ClusterHierarchy,
  selectedFlags: Uint8Array,
  stability: Float64Array,
  allowSingleCluster: boolean,
  epsilon: number,
): FlatClustering {
  const np = tree.nPoints;
  const nc = h.nClusters;
  const labelOf = new Int32Array(nc).fill(-1);
  const sel: number[] = [];
  for (let c = 0; c < nc; c++) {
    if (selectedFlags[c]) {
      labelOf[c] = sel.length;
      sel.push(c);
    }
  }
  const selected = Int32Array.from(sel);
  // owner[c]: the selected cluster c's points belong to; 0 (the root) means none below the root
  const owner = new Int32Array(nc);
  for (let c = 1; c < nc; c++) owner[c] = selectedFlags[c] ? c : owner[h.parent[c]];
  const rootIsTheCluster = allowSingleCluster && sel.length === 1 && sel[0] === 0;

  const labels = new Int32Array(np).fill(-1);
  const probabilities = new Float64Array(np);
  const rows = tree.parent.length;
  for (let i = 0; i < rows; i++) {
    const p = tree.child[i];
    if (p >= np) continue;
    const lam = tree.lambda[i];
    const own = owner[tree.parent[i] - np];
    let cluster = -1;
    if (own !== 0) {
      cluster = own;
    } else if (rootIsTheCluster) {
      const keep = epsilon !== 0 ? lam >= 1 / epsilon : lam >= h.maxLambda[0];
      if (keep) cluster = 0;
    }
    if (cluster < 0) continue;
    labels[p] = labelOf[cluster];
    const maxL = h.maxLambda[cluster];
    probabilities[p] = maxL === 0 || !Number.isFinite(lam) ? 1 : Math.min(lam, maxL) / maxL;
  }

  let maxLambda = 0;
  for (let i = 0; i < rows; i++) if (tree.lambda[i] > maxLambda) maxLambda = tree.lambda[i];
  const counts = new Int32Array(sel.length);
  for (let p = 0; p < np; p++) if (labels[p] >= 0) counts[labels[p]]++;
  const persistence = new Float64Array(sel.length);
  for (let l = 0; l < sel.length; l++) {
    persistence[l] = !Number.isFinite(maxLambda) || maxLambda === 0 || counts[l] === 0
      ? 1
      : stability[sel[l]] / (counts[l] * maxLambda);
  }
  return { labels, probabilities, selected, persistence };
}
