/**
 * Average-linkage (UPGMA) agglomerative clustering of a precomputed distance matrix, cut into k
 * clusters: what sklearn's AgglomerativeClustering(k, metric="precomputed", linkage="average")
 * does, through scipy.cluster.hierarchy.linkage (the nearest-neighbour chain, with its choices
 * among equal distances) and sklearn's _hc_cut.
 */

export interface Merge {
  /** scipy's node ids at the time of the merge: the smaller first */
  a: number;
  b: number;
  distance: number;
}

/**
 * scipy's nn_chain on a full n x n distance matrix (row-major, symmetric; the diagonal is not
 * read). Returns the n-1 merges sorted by distance (stable), each naming the two slots merged
 * (the merged cluster takes the larger slot, as scipy does).
 */
function nnChainAverage(dist: Float64Array, n: number): Merge[] {
  const d = Float64Array.from(dist);
  const size = new Float64Array(n).fill(1);
  const chain = new Int32Array(n);
  let len = 0;
  const merges: Merge[] = [];
  for (let k = 0; k < n - 1; k++) {
    if (len === 0) {
      for (let i = 0; i < n; i++) if (size[i]! > 0) { chain[0] = i; len = 1; break; }
    }
    let x = 0;
    let y = 0;
    let min = Infinity;
    for (;;) {
      x = chain[len - 1]!;
      if (len > 1) {
        y = chain[len - 2]!;
        min = d[x * n + y]!;
      } else min = Infinity;
      for (let i = 0; i < n; i++) {
        if (size[i] === 0 || i === x) continue;
        if (d[x * n + i]! < min) {
          min = d[x * n + i]!;
          y = i;
        }
      }
      if (len > 1 && y === chain[len - 2]) break;
      chain[len++] = y;
    }
    len -= 2;
    if (x > y) [x, y] = [y, x];
    const nx = size[x]!;
    const ny = size[y]!;
    merges.push({ a: x, b: y, distance: min });
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      if (size[i] === 0 || i === y) continue;
      const v = (nx * d[i * n + x]! + ny * d[i * n + y]!) / (nx + ny);
      d[i * n + y] = v;
      d[y * n + i] = v;
    }
  }
  // a stable sort by distance, as scipy's argsort(kind='mergesort')
  return merges.map((m, i) => ({ m, i })).sort((p, q) => p.m.distance - q.m.distance || p.i - q.i).map((e) => e.m);
}

/**
 * The k clusters left after the first n-k merges (sklearn's _hc_cut undoes the last k-1).
 * Returns a cluster per point, numbered by first appearance (0, 1, ... in point order).
 */
function cutMerges(merges: readonly Merge[], n: number, k: number): Int32Array {
  if (k < 1 || k > n) throw new Error(`cannot cut ${n} points into ${k} clusters`);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  // slots: scipy reuses slot b for the merged cluster; a slot's current members share one root
  for (const m of merges.slice(0, n - k)) parent[find(m.a)] = find(m.b);
  const label = new Int32Array(n);
  const numberOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!numberOf.has(r)) numberOf.set(r, numberOf.size);
    label[i] = numberOf.get(r)!;
  }
  return label;
}

/** AgglomerativeClustering(k, metric="precomputed", linkage="average").fit(dist).labels_, up to numbering. */
export function averageLinkageClusters(dist: Float64Array, n: number, k: number): Int32Array {
  if (n === 1) return new Int32Array(1);
  return cutMerges(nnChainAverage(dist, n), n, k);
}
