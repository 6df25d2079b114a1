import { boxDist2, treeDepth, type KdTree } from './kdtree.js';
import { sqDist } from './sqDist.js';

/**
 * Exact k-nearest-neighbour queries on a kd-tree. One searcher owns its scratch buffers (a bounded
 * max-heap and an explicit traversal stack) and is reused across queries, so the query loop does
 * not allocate.
 */
export class KnnSearcher {
  readonly k: number;
  /** after query(): squared distances, ascending */
  readonly dist2: Float64Array;
  /** after query(): tree positions of the neighbours, in the same order */
  readonly posOut: Int32Array;
  private readonly heapD: Float64Array;
  private readonly heapI: Int32Array;
  private readonly stackNode: Int32Array;
  private readonly stackLb: Float64Array;

  constructor(private readonly tree: KdTree, k: number) {
    if (k < 1) throw new Error('knn: k must be >= 1');
    this.k = Math.min(k, tree.n);
    this.dist2 = new Float64Array(this.k);
    this.posOut = new Int32Array(this.k);
    this.heapD = new Float64Array(this.k);
    this.heapI = new Int32Array(this.k);
    const depth = treeDepth(tree) + 2;
    this.stackNode = new Int32Array(depth * 2);
    this.stackLb = new Float64Array(depth * 2);
  }

  /**
   * Finds the k nearest points (by tree position) to q[qOff..qOff+dim); a query point that is in
   * the tree finds itself at distance 0, as scikit-learn's KDTree.query does.
   */
  query(q: Float64Array, qOff: number): void {
    const { tree, k, heapD, heapI, stackNode, stackLb } = this;
    const { dim, pts } = tree;
    heapD.fill(Infinity);
    heapI.fill(-1);
    let sp = 0;
    stackNode[sp] = 0;
    stackLb[sp] = boxDist2(tree, 0, q, qOff);
    sp++;
    while (sp > 0) {
      sp--;
      const node = stackNode[sp];
      if (stackLb[sp] >= heapD[0]) continue; // cannot beat the current k-th
      if (node >= tree.firstLeaf) {
        const e = tree.nodeEnd[node];
        for (let j = tree.nodeStart[node]; j < e; j++) {
          const s = sqDist(q, qOff, pts, j * dim, dim);
          if (s < heapD[0]) heapReplaceTop(heapD, heapI, k, s, j);
        }
        continue;
      }
      const l = 2 * node + 1;
      const r = l + 1;
      const dl = boxDist2(tree, l, q, qOff);
      const dr = boxDist2(tree, r, q, qOff);
      // push the farther child first so the nearer one is searched first
      if (dl <= dr) {
        stackNode[sp] = r; stackLb[sp] = dr; sp++;
        stackNode[sp] = l; stackLb[sp] = dl; sp++;
      } else {
        stackNode[sp] = l; stackLb[sp] = dl; sp++;
        stackNode[sp] = r; stackLb[sp] = dr; sp++;
      }
    }
    // Heap sort into ascending order.
    for (let m = k - 1; m >= 0; m--) {
      this.dist2[m] = heapD[0];
      this.posOut[m] = heapI[0];
      heapD[0] = heapD[m];
      heapI[0] = heapI[m];
      siftDown(heapD, heapI, m, 0);
    }
  }
}

/** Replaces the max of the max-heap with (d, i) and restores the heap. */
function heapReplaceTop(heapD: Float64Array, heapI: Int32Array, size: number, d: number, i: number): void {
  heapD[0] = d;
  heapI[0] = i;
  siftDown(heapD, heapI, size, 0);
}

function siftDown(heapD: Float64Array, heapI: Int32Array, size: number, at: number): void {
  let p = at;
  const d = heapD[p];
  const i = heapI[p];
  for (;;) {
    const l = 2 * p + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && heapD[r] > heapD[l] ? r : l;
    if (heapD[c] <= d) break;
    heapD[p] = heapD[c];
    heapI[p] = heapI[c];
    p = c;
  }
  heapD[p] = d;
  heapI[p] = i;
}
