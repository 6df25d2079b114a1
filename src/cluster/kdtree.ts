/**
 * A static kd-tree over low-dimensional points (UMAP output is 5-d), the spatial index behind
 * core distances, the Borůvka minimum spanning tree and approximate prediction.
 *
 * Layout (as scikit-learn's KDTree): a perfectly balanced binary tree stored implicitly, node i has
 * children 2i+1 and 2i+2; every node owns a contiguous range [start, end) of the permuted points;
 * splits are at the median of the widest dimension, so the depth is fixed by n and the leaf size and
 * no node object is ever allocated. Points are copied into tree order (`pts`) as float64 so that
 * leaf scans read memory sequentially and distances are computed exactly as numpy would.
 */

export interface KdTree {
  /** number of points */
  readonly n: number;
  /** dimensions */
  readonly dim: number;
  /** point coordinates in tree order, row-major float64: position j is original point idx[j] */
  readonly pts: Float64Array;
  /** idx[j] = original index of the point at tree position j */
  readonly idx: Int32Array;
  /** pos[i] = tree position of original point i */
  readonly pos: Int32Array;
  readonly nNodes: number;
  /** nodes with index >= firstLeaf are leaves */
  readonly firstLeaf: number;
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  /** bounding boxes: lo/hi of node i at [i*dim, (i+1)*dim) */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/** Reads coordinate values of row i; lets callers build from Float32Array or Float64Array rows. */
type Coords = ArrayLike<number>;

export function buildKdTree(data: Coords, n: number, dim: number, leafSize = 32): KdTree {
  if (data.length < n * dim) throw new Error(`kd-tree: data has ${data.length} values, expected ${n}x${dim}`);
  if (leafSize < 1) throw new Error('kd-tree: leafSize must be >= 1');
  // Same level count rule as scikit-learn: leaves hold between leafSize/2 and leafSize points.
  const nLevels = n <= 1 ? 1 : Math.floor(Math.log2(Math.max(1, (n - 1) / leafSize))) + 1;
  const nNodes = (1 << nLevels) - 1;
  const firstLeaf = (1 << (nLevels - 1)) - 1;

  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const nodeStart = new Int32Array(nNodes);
  const nodeEnd = new Int32Array(nNodes);
  const lo = new Float64Array(nNodes * dim);
  const hi = new Float64Array(nNodes * dim);

  nodeStart[0] = 0;
  nodeEnd[0] = n;
  // Parents come before children in index order, so one forward pass splits every range.
  for (let node = 0; node < nNodes; node++) {
    const s = nodeStart[node];
    const e = nodeEnd[node];
    computeBounds(data, dim, idx, s, e, lo, hi, node * dim);
    if (node >= firstLeaf) continue;
    let splitDim = 0;
    let spread = -1;
    for (let d = 0; d < dim; d++) {
      const w = hi[node * dim + d] - lo[node * dim + d];
      if (w > spread) {
        spread = w;
        splitDim = d;
      }
    }
    const mid = s + ((e - s) >> 1);
    if (e - s > 1) selectNth(data, dim, splitDim, idx, s, e - 1, mid);
    const l = 2 * node + 1;
    nodeStart[l] = s;
    nodeEnd[l] = mid;
    nodeStart[l + 1] = mid;
    nodeEnd[l + 1] = e;
  }

  const pts = new Float64Array(n * dim);
  const pos = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const src = idx[j] * dim;
    for (let d = 0; d < dim; d++) pts[j * dim + d] = data[src + d];
    pos[idx[j]] = j;
  }
  return { n, dim, pts, idx, pos, nNodes, firstLeaf, nodeStart, nodeEnd, lo, hi };
}

function computeBounds(
  data: Coords, dim: number, idx: Int32Array, s: number, e: number,
  lo: Float64Array, hi: Float64Array, off: number,
): void {
  for (let d = 0; d < dim; d++) {
    lo[off + d] = Infinity;
    hi[off + d] = -Infinity;
  }
  for (let j = s; j < e; j++) {
    const r = idx[j] * dim;
    for (let d = 0; d < dim; d++) {
      const v = data[r + d];
      if (v < lo[off + d]) lo[off + d] = v;
      if (v > hi[off + d]) hi[off + d] = v;
    }
  }
}

/**
 * Quickselect on idx[left..right] (inclusive) by coordinate `d` so that idx[k] holds the k-th
 * smallest and everything before it is <= it. Hoare partitioning keeps runs of equal keys balanced,
 * so data with many duplicate coordinates does not degrade to quadratic time.
 */
function selectNth(data: Coords, dim: number, d: number, idx: Int32Array, left: number, right: number, k: number): void {
  while (right > left) {
    const m = (left + right) >> 1;
    // median of three as pivot value
    const a = data[idx[left] * dim + d];
    const b = data[idx[m] * dim + d];
    const c = data[idx[right] * dim + d];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (data[idx[i] * dim + d] < pivot) i++;
      while (data[idx[j] * dim + d] > pivot) j--;
      if (i <= j) {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/** Squared distance from point q (coords q[qOff..qOff+dim)) to the bounding box of `node`. */
export function boxDist2(tree: KdTree, node: number, q: Float64Array, qOff: number): number {
  const dim = tree.dim;
  const lo = tree.lo;
  const hi = tree.hi;
  const off = node * dim;
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const v = q[qOff + d];
    const l = lo[off + d];
    if (v < l) {
      const t = l - v;
      s += t * t;
    } else {
      const h = hi[off + d];
      if (v > h) {
        const t = v - h;
        s += t * t;
      }
    }
  }
  return s;
}

/** Depth of the tree (levels), enough for the explicit search stacks below. */
export function treeDepth(tree: KdTree): number {
  return Math.round(Math.log2(tree.nNodes + 1));
}
