import { buildKdTree, type KdTree } from './kdtree.js';
import type { HdbscanModel } from './model.js';

/**
 * What approximatePredict needs beyond the model's arrays, derived once per model and cached
 * (not serialised: it is rebuilt from the model in O(n log n) after loading a snapshot).
 */
export interface PredictionIndex {
  readonly tree: KdTree;
  /** per internal point: index of the cluster it fell out of, and the lambda at which it did */
  readonly pointCluster: Int32Array;
  readonly pointLambda: Float64Array;
  /** per cluster index: parent cluster index (-1 root) and birth lambda */
  readonly clusterParent: Int32Array;
  readonly clusterBirth: Float64Array;
  /** per cluster index: label of the selected cluster at or above it, else -1 */
  readonly clusterLabel: Int32Array;
  /** per cluster index: largest lambda among the rows of that selected cluster (prob. scale) */
  readonly clusterMaxLambda: Float64Array;
}

const treeCache = new WeakMap<HdbscanModel, KdTree>();
const indexCache = new WeakMap<HdbscanModel, PredictionIndex>();

/** Lets the fit hand over its kd-tree, so the first prediction does not build another. */
export function rememberPredictionTree(model: HdbscanModel, tree: KdTree): void {
  treeCache.set(model, tree);
}

export function predictionIndex(model: HdbscanModel): PredictionIndex {
  const cached = indexCache.get(model);
  if (cached) return cached;
  const ct = model.condensedTree;
  const np = ct.nPoints;
  const nc = ct.nClusters;
  const tree = treeCache.get(model) ?? buildKdTree(model.data, np, model.dim, model.options.leafSize);

  const pointCluster = new Int32Array(np);
  const pointLambda = new Float64Array(np);
  const clusterParent = new Int32Array(nc).fill(-1);
  const clusterBirth = new Float64Array(nc);
  const ownMax = new Float64Array(nc);
  for (let i = 0; i < ct.parent.length; i++) {
    const p = ct.parent[i] - np;
    const c = ct.child[i];
    const lam = ct.lambda[i];
    if (lam > ownMax[p]) ownMax[p] = lam;
    if (c < np) {
      pointCluster[c] = p;
      pointLambda[c] = lam;
    } else {
      clusterParent[c - np] = p;
      clusterBirth[c - np] = lam;
    }
  }
  // Which cluster stands for each label: as the package's prediction data, the lowest-id cluster
  // any point of that label fell out of (CondensedTree._select_clusters). That is the selected
  // cluster itself except in corners (a selected root, or a selected cluster that lost no point
  // before splitting), where the package predicts from one sub-cluster only; we do the same.
  const nLabels = model.selected.length;
  const top = new Int32Array(nLabels).fill(nc);
  for (let i = 0; i < np; i++) {
    const l = model.labels[model.rowIndex ? model.rowIndex[i] : i];
    if (l >= 0 && pointCluster[i] < top[l]) top[l] = pointCluster[i];
  }
  const labelOf = new Int32Array(nc).fill(-1);
  for (let l = 0; l < nLabels; l++) if (top[l] < nc) labelOf[top[l]] = l;
  // A label and its lambda scale cover all the clusters below its cluster. If label clusters nest
  // (possible with epsilon), the package lets the outer label win but keeps the inner lambda scale.
  const clusterLabel = new Int32Array(nc).fill(-1);
  const clusterMaxLambda = new Float64Array(nc);
  for (let c = 0; c < nc; c++) {
    const p = c > 0 ? clusterParent[c] : -1;
    const inherited = p >= 0 ? clusterLabel[p] : -1;
    clusterLabel[c] = inherited >= 0 ? inherited : labelOf[c];
    if (labelOf[c] >= 0) clusterMaxLambda[c] = ownMax[c];
    else if (inherited >= 0) clusterMaxLambda[c] = clusterMaxLambda[p];
  }
  const index: PredictionIndex = { tree, pointCluster, pointLambda, clusterParent, clusterBirth, clusterLabel, clusterMaxLambda };
  indexCache.set(model, index);
  return index;
}
