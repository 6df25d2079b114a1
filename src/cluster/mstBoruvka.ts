import { boxDist2, treeDepth, type KdTree } from './kdtree.js';
import { sqDist } from './sqDist.js';
import type { SpanningTree } from './types.js';
import { UnionFind } from './unionFind.js';

/**
 * Exact minimum spanning tree of the mutual reachability graph,
 *   mr(p, q) = max(core(p), core(q), |p - q|),
 * by Borůvka's algorithm on a kd-tree: each round finds, for every component, its lightest edge to
 * another component, and adds those edges; the number of components at least halves per round.
 * Memory is O(n); the dense n x n graph is never formed.
 *
 * What keeps the per-point searches short:
 * - mr(p, .) >= core(p), so a point whose core distance is not below its component's best edge so
 *   far is skipped, and a search stops as soon as it finds an edge of weight core(p);
 * - a node whose points all lie in p's component, or whose box distance / smallest core distance
 *   already exceeds the bound, is pruned;
 * - a point's best edge is cached: components only grow, so if its best neighbour is still in
 *   another component the edge is still the best, and otherwise the old weight is a lower bound;
 * - the first round takes candidate edges from the k-NN lists of the core distance step.
 * Equal weights are common (many edges weigh exactly a core distance); any choice among them gives
 * a minimum spanning tree because edges that would close a cycle are dropped by the union-find.
 *
 * Works in squared distances; `core` is per tree position, edges come out in original indices.
 */
export function boruvkaMst(tree: KdTree, core: Float64Array, neighbours: Int32Array, k: number): SpanningTree {
  const { n, dim, pts, nNodes, firstLeaf, nodeStart, nodeEnd } = tree;

  const from = new Int32Array(Math.max(0, n - 1));
  const to = new Int32Array(Math.max(0, n - 1));
  const weight = new Float64Array(Math.max(0, n - 1));
  if (n <= 1) return { from, to, weight };

  const core2 = new Float64Array(n);
  for (let j = 0; j < n; j++) core2[j] = core[j] * core[j];

  // Smallest core distance under each node: a lower bound for every edge into the node.
  const nodeMinCore2 = new Float64Array(nNodes);
  for (let node = nNodes - 1; node >= 0; node--) {
    if (node >= firstLeaf) {
      let m = Infinity;
      for (let j = nodeStart[node], e = nodeEnd[node]; j < e; j++) if (core2[j] < m) m = core2[j];
      nodeMinCore2[node] = m;
    } else {
      const a = nodeMinCore2[2 * node + 1];
      const b = nodeMinCore2[2 * node + 2];
      nodeMinCore2[node] = a < b ? a : b;
    }
  }

  const uf = new UnionFind(n);
  const comp = new Int32Array(n);
  for (let j = 0; j < n; j++) comp[j] = j;
  const nodeComp = new Int32Array(nNodes);
  updateNodeComponents(tree, comp, nodeComp);

  // Per point: the best edge found so far (exact while pointBestQ's component differs), or a lower bound.
  const pointBestW2 = new Float64Array(n);
  const pointBestQ = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p++) {
    pointBestW2[p] = core2[p];
    // A k-NN neighbour whose core distance is not larger than p's gives mr = core(p), the lower
    // bound, so it is p's best edge already.
    const base = p * k;
    let bestQ = -1;
    let bestW = Infinity;
    for (let t = 0; t < k; t++) {
      const q = neighbours[base + t];
      if (q === p || q < 0) continue;
      const w = mr2(pts, dim, p, q, core2);
      if (w < bestW) {
        bestW = w;
        bestQ = q;
      }
    }
    if (bestQ >= 0 && bestW <= core2[p]) pointBestQ[p] = bestQ;
  }

  const compBestW2 = new Float64Array(n);
  const compBestFrom = new Int32Array(n);
  const compBestTo = new Int32Array(n);
  const depth = treeDepth(tree) + 2;
  const stackNode = new Int32Array(depth * 2);
  const stackLb = new Float64Array(depth * 2);

  let nEdges = 0;
  let nComponents = n;
  while (nComponents > 1) {
    compBestW2.fill(Infinity);
    compBestTo.fill(-1);

    for (let p = 0; p < n; p++) {
      const c = comp[p];
      const cb = compBestW2[c];
      if (core2[p] >= cb) continue;
      let w = pointBestW2[p];
      let q = pointBestQ[p];
      if (q < 0 || comp[q] === c) {
        if (w >= cb) continue; // even p's lower bound cannot beat the component's best
        // --- search the tree for p's lightest edge leaving component c, below bound cb ---
        const c2p = core2[p];
        const pOff = p * dim;
        let bound = cb;
        let found = -1;
        let sp = 0;
        stackNode[0] = 0;
        stackLb[0] = 0;
        sp = 1;
        while (sp > 0 && bound > c2p) {
          sp--;
          const node = stackNode[sp];
          if (stackLb[sp] >= bound || nodeComp[node] === c) continue;
          if (node >= firstLeaf) {
            for (let j = nodeStart[node], e = nodeEnd[node]; j < e; j++) {
              if (comp[j] === c) continue;
              const cq = core2[j];
              if (cq >= bound) continue;
              let s = sqDist(pts, pOff, pts, j * dim, dim);
              if (s < cq) s = cq;
              if (s < c2p) s = c2p;
              if (s < bound) {
                bound = s;
                found = j;
              }
            }
            continue;
          }
          const l = 2 * node + 1;
          const r = l + 1;
          let dl = boxDist2(tree, l, pts, pOff);
          let dr = boxDist2(tree, r, pts, pOff);
          if (dl < nodeMinCore2[l]) dl = nodeMinCore2[l];
          if (dr < nodeMinCore2[r]) dr = nodeMinCore2[r];
          if (dl < c2p) dl = c2p;
          if (dr < c2p) dr = c2p;
          if (dl <= dr) {
            if (dr < bound) { stackNode[sp] = r; stackLb[sp] = dr; sp++; }
            if (dl < bound) { stackNode[sp] = l; stackLb[sp] = dl; sp++; }
          } else {
            if (dl < bound) { stackNode[sp] = l; stackLb[sp] = dl; sp++; }
            if (dr < bound) { stackNode[sp] = r; stackLb[sp] = dr; sp++; }
          }
        }
        if (found < 0) {
          // Nothing lighter than cb: cb is a lower bound on p's best edge from now on.
          pointBestW2[p] = cb;
          pointBestQ[p] = -1;
          continue;
        }
        w = bound;
        q = found;
        pointBestW2[p] = w;
        pointBestQ[p] = q;
      }
      if (w < cb) {
        compBestW2[c] = w;
        compBestFrom[c] = p;
        compBestTo[c] = q;
      }
    }

    let added = 0;
    for (let c = 0; c < n; c++) {
      if (comp[c] !== c || compBestTo[c] < 0) continue;
      const a = compBestFrom[c];
      const b = compBestTo[c];
      if (uf.union(a, b) < 0) continue; // closes a cycle: an equal-weight edge was already taken
      from[nEdges] = tree.idx[a];
      to[nEdges] = tree.idx[b];
      weight[nEdges] = Math.sqrt(compBestW2[c]);
      nEdges++;
      added++;
    }
    if (added === 0) throw new Error('boruvka: no edge added in a round (non-finite input?)');
    nComponents -= added;
    for (let j = 0; j < n; j++) comp[j] = uf.find(j);
    updateNodeComponents(tree, comp, nodeComp);
  }
  return { from, to, weight };
}

function mr2(pts: Float64Array, dim: number, p: number, q: number, core2: Float64Array): number {
  let s = sqDist(pts, p * dim, pts, q * dim, dim);
  if (s < core2[p]) s = core2[p];
  if (s < core2[q]) s = core2[q];
  return s;
}

/** nodeComp[node] = the component of all the node's points, or -1 if they are in several. */
function updateNodeComponents(tree: KdTree, comp: Int32Array, nodeComp: Int32Array): void {
  const { nNodes, firstLeaf, nodeStart, nodeEnd } = tree;
  for (let node = nNodes - 1; node >= 0; node--) {
    if (node >= firstLeaf) {
      const s = nodeStart[node];
      const e = nodeEnd[node];
      let c = e > s ? comp[s] : -1;
      for (let j = s + 1; j < e; j++) {
        if (comp[j] !== c) {
          c = -1;
          break;
        }
      }
      nodeComp[node] = c;
    } else {
      const a = nodeComp[2 * node + 1];
      nodeComp[node] = a >= 0 && a === nodeComp[2 * node + 2] ? a : -1;
    }
  }
}
