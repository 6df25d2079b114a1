import type { SingleLinkage, SpanningTree } from './types.js';

/**
 * Turns a minimum spanning tree into the single-linkage dendrogram (scipy format): edges are taken
 * in increasing weight and each joins the two current clusters of its end points into a new
 * cluster n+i. Equal weights are taken in input order (a stable sort).
 */
export function singleLinkage(mst: SpanningTree, n: number): SingleLinkage {
  const m = mst.weight.length;
  if (m !== Math.max(0, n - 1)) throw new Error(`single linkage: ${m} edges for ${n} points`);
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  const w = mst.weight;
  order.sort((a, b) => w[a] - w[b] || a - b);

  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const distance = new Float64Array(m);
  const size = new Int32Array(m);

  // parent[x] = the cluster x was merged into (-1 while x is a top-level cluster)
  const total = 2 * n - 1;
  const parent = new Int32Array(Math.max(0, total)).fill(-1);
  const sizes = new Int32Array(Math.max(0, total));
  for (let i = 0; i < n; i++) sizes[i] = 1;

  for (let r = 0; r < m; r++) {
    const e = order[r];
    const a = findTop(parent, mst.from[e]);
    const b = findTop(parent, mst.to[e]);
    if (a === b) throw new Error('single linkage: the spanning tree has a cycle');
    const c = n + r;
    left[r] = a;
    right[r] = b;
    distance[r] = w[e];
    size[r] = sizes[a] + sizes[b];
    sizes[c] = size[r];
    parent[a] = c;
    parent[b] = c;
  }
  return { n, left, right, distance, size };
}

/** The top-level cluster containing x, compressing the path on the way. */
function findTop(parent: Int32Array, x: number): number {
  let root = x;
  while (parent[root] !== -1) root = parent[root];
  while (x !== root) {
    const next = parent[x];
    parent[x] = root;
    x = next;
  }
  return root;
}
