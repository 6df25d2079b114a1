/** Data structures shared by the HDBSCAN steps. All indices are original point indices. */

/** n-1 edges of a minimum spanning tree of the mutual reachability graph. */
export interface SpanningTree {
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** mutual reachability distance of each edge */
  readonly weight: Float64Array;
}

/**
 * Single-linkage dendrogram in scipy's format: row i merges `left[i]` and `right[i]` (points are
 * 0..n-1, the cluster made by row i is n+i) at `distance[i]` into a cluster of `size[i]` points.
 */
export interface SingleLinkage {
  readonly n: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly distance: Float64Array;
  readonly size: Int32Array;
}

/**
 * The condensed tree, as the `hdbscan` package's `condensed_tree_._raw_tree`: one row per edge,
 * parent -> child, with the lambda (1 / distance) at which the child leaves the parent and the
 * child's size. Points are 0..n-1, clusters are n (the root), n+1, ... in breadth-first order, so a
 * parent always has a smaller id than its children.
 */
export interface CondensedTree {
  readonly nPoints: number;
  /** number of cluster nodes (ids nPoints .. nPoints+nClusters-1) */
  readonly nClusters: number;
  readonly parent: Int32Array;
  readonly child: Int32Array;
  readonly lambda: Float64Array;
  readonly childSize: Int32Array;
}
