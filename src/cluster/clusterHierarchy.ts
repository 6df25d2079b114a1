import type { CondensedTree } from './types.js';

/**
 * The clusters of a condensed tree as a small tree of their own, indexed by cluster index
 * (cluster id - nPoints; the root is index 0). Parents have smaller indices than their children.
 */
export interface ClusterHierarchy {
  readonly nClusters: number;
  /** parent cluster index, -1 for the root */
  readonly parent: Int32Array;
  /** lambda at which the cluster was born (split from its parent); 0 for the root */
  readonly birth: Float64Array;
  /** points in the cluster at birth */
  readonly size: Int32Array;
  /** children of cluster c are childList[childStart[c] .. childStart[c+1]) */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  /** largest lambda among the cluster's own rows (points leaving it, children splitting off) */
  readonly maxLambda: Float64Array;
}

export function clusterHierarchy(tree: CondensedTree): ClusterHierarchy {
  const nc = tree.nClusters;
  const np = tree.nPoints;
  const parent = new Int32Array(nc).fill(-1);
  const birth = new Float64Array(nc);
  const size = new Int32Array(nc);
  const maxLambda = new Float64Array(nc);
  const nChildren = new Int32Array(nc + 1);
  size[0] = np;
  const rows = tree.parent.length;
  for (let i = 0; i < rows; i++) {
    const p = tree.parent[i] - np;
    const lam = tree.lambda[i];
    if (lam > maxLambda[p]) maxLambda[p] = lam;
    const c = tree.child[i];
    if (c >= np) {
      const ci = c - np;
      parent[ci] = p;
      birth[ci] = lam;
      size[ci] = tree.childSize[i];
      nChildren[p]++;
    }
  }
  const childStart = new Int32Array(nc + 1);
  for (let c = 0; c < nc; c++) childStart[c + 1] = childStart[c] + nChildren[c];
  const fill = childStart.slice(0, nc);
  const childList = new Int32Array(childStart[nc]);
  // rows are in breadth-first order, so children are listed in id order
  for (let i = 0; i < rows; i++) {
    const c = tree.child[i];
    if (c >= np) {
      const p = tree.parent[i] - np;
      childList[fill[p]++] = c - np;
    }
  }
  return { nClusters: nc, parent, birth, size, childStart, childList, maxLambda };
}

/**
 * Stability of every cluster (Campello et al.): the sum over its rows of
 * (lambda at which the row leaves - lambda at which the cluster was born) * row size.
 */
export function clusterStability(tree: CondensedTree, h: ClusterHierarchy): Float64Array {
  const stability = new Float64Array(h.nClusters);
  const np = tree.nPoints;
  for (let i = 0; i < tree.parent.length; i++) {
    const p = tree.parent[i] - np;
    stability[p] += (tree.lambda[i] - h.birth[p]) * tree.childSize[i];
  }
  return stability;
}
