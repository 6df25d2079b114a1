import { sqDist } from './sqDist.js';
import type { SpanningTree } from './types.js';

/**
 * Minimum spanning tree of the mutual reachability graph by Prim's algorithm over the implicit
 * dense graph: O(n^2) distance evaluations but O(n) memory. The `hdbscan` package uses the same
 * scheme for high-dimensional data, where kd-trees stop pruning; here it is the fallback for high
 * dimensions and the reference the Borůvka tree is tested against.
 *
 * `data` is row-major (n x dim), `core` the core distances, both in the same point order.
 */
export function primMst(data: Float64Array, n: number, dim: number, core: Float64Array): SpanningTree {
  const m = Math.max(0, n - 1);
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const weight = new Float64Array(m);
  if (n <= 1) return { from, to, weight };

  const core2 = new Float64Array(n);
  for (let i = 0; i < n; i++) core2[i] = core[i] * core[i];
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity); // squared mr distance to the tree
  const bestFrom = new Int32Array(n);
  let current = 0;
  for (let e = 0; e < m; e++) {
    inTree[current] = 1;
    const cOff = current * dim;
    const cCore = core2[current];
    let next = -1;
    let nextW = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      let w = best[j];
      // only compute the distance if this edge could improve j's best
      if (cCore < w && core2[j] < w) {
        let s = sqDist(data, cOff, data, j * dim, dim);
        if (s < cCore) s = cCore;
        if (s < core2[j]) s = core2[j];
        if (s < w) {
          w = s;
          best[j] = s;
          bestFrom[j] = current;
        }
      }
      if (w < nextW) {
        nextW = w;
        next = j;
      }
    }
    from[e] = bestFrom[next];
    to[e] = next;
    weight[e] = Math.sqrt(nextW);
    current = next;
  }
  return { from, to, weight };
}
