import type { CondensedTree, SingleLinkage } from './types.js';

/**
 * Condenses a single-linkage dendrogram with a minimum cluster size (Campello et al. 2013; the
 * `hdbscan` package's condense_tree). Walking down from the root, a split where both sides have at
 * least `minClusterSize` points makes two new clusters; a side smaller than that is not a cluster:
 * its points "fall out" of the parent at that lambda (= 1/distance) and the bigger side carries on
 * as the same cluster.
 *
 * Nodes are visited breadth first with left before right, the order the Python package uses, so
 * the cluster ids (and hence the final label numbers) come out the same.
 */
export function condenseTree(linkage: SingleLinkage, minClusterSize: number): CondensedTree {
  const n = linkage.n;
  if (minClusterSize < 2) throw new Error('condense tree: minClusterSize must be >= 2');
  const cap = 2 * n;
  const parent = new Int32Array(cap);
  const child = new Int32Array(cap);
  const lambda = new Float64Array(cap);
  const childSize = new Int32Array(cap);
  let rows = 0;
  if (n < 2) {
    return { nPoints: n, nClusters: 1, parent: parent.slice(0, 0), child: child.slice(0, 0), lambda: lambda.slice(0, 0), childSize: childSize.slice(0, 0) };
  }
  const { left, right, distance, size } = linkage;
  const root = 2 * n - 2;
  const relabel = new Int32Array(2 * n - 1);
  relabel[root] = n;
  let nextLabel = n + 1;

  const queue = new Int32Array(n); // internal nodes still to split, at most n-1 of them
  let qHead = 0;
  let qTail = 0;
  queue[qTail++] = root;
  const sub = new Int32Array(2 * n); // scratch queue for a subtree's points

  const countOf = (node: number): number => (node >= n ? size[node - n] : 1);

  /** Emits every point under `top`, breadth first, as falling out of `into` at `lam`. */
  const fallOut = (top: number, into: number, lam: number): void => {
    let h = 0;
    let t = 0;
    sub[t++] = top;
    while (h < t) {
      const x = sub[h++];
      if (x < n) {
        parent[rows] = into;
        child[rows] = x;
        lambda[rows] = lam;
        childSize[rows] = 1;
        rows++;
      } else {
        sub[t++] = left[x - n];
        sub[t++] = right[x - n];
      }
    }
  };

  while (qHead < qTail) {
    const node = queue[qHead++];
    const r = node - n;
    const l = left[r];
    const rt = right[r];
    const d = distance[r];
    const lam = d > 0 ? 1 / d : Infinity;
    const lc = countOf(l);
    const rc = countOf(rt);
    const here = relabel[node];
    if (lc >= minClusterSize && rc >= minClusterSize) {
      // a true split: both sides become new clusters born at lam
      relabel[l] = nextLabel++;
      parent[rows] = here; child[rows] = relabel[l]; lambda[rows] = lam; childSize[rows] = lc; rows++;
      relabel[rt] = nextLabel++;
      parent[rows] = here; child[rows] = relabel[rt]; lambda[rows] = lam; childSize[rows] = rc; rows++;
      queue[qTail++] = l;
      queue[qTail++] = rt;
    } else if (lc < minClusterSize && rc < minClusterSize) {
      // the cluster dissolves: all its remaining points leave at lam
      fallOut(l, here, lam);
      fallOut(rt, here, lam);
    } else if (lc < minClusterSize) {
      relabel[rt] = here;
      fallOut(l, here, lam);
      queue[qTail++] = rt;
    } else {
      relabel[l] = here;
      fallOut(rt, here, lam);
      queue[qTail++] = l;
    }
  }
  return {
    nPoints: n,
    nClusters: nextLabel - n,
    parent: parent.slice(0, rows),
    child: child.slice(0, rows),
    lambda: lambda.slice(0, rows),
    childSize: childSize.slice(0, rows),
  };
}
