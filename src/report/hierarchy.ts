/**
 * The topic hierarchy of the report, as BERTopic's visualize_hierarchy: Ward linkage
 * (scipy.cluster.hierarchy.linkage(..., 'ward') on the condensed matrix of 1 - cosine similarity of
 * the topics' c-TF-IDF word vectors), laid out as a dendrogram. The tree is topics.json's
 * `hierarchy` (src/toolbox/topicHierarchy.ts, full c-TF-IDF rows) when it has one; older outputs
 * get one from their stored top words.
 */

/** One merge: children (leaves 0..n-1, merges n..), height and size, as a scipy linkage row. */
export interface Merge {
  a: number;
  b: number;
  height: number;
  size: number;
}

/** A dendrogram link: child a at (ha, ya), child b at (hb, yb), joined at height h. */
export interface DendrogramLink {
  ya: number;
  yb: number;
  ha: number;
  hb: number;
  h: number;
}

export interface Dendrogram {
  /** leaf indices from bottom to top */
  order: number[];
  links: DendrogramLink[];
}

/** Ward linkage of n points given their distances (n × n, symmetric), by Lance-Williams updates. */
export function wardLinkage(dist: Float64Array, n: number): Merge[] {
  const d = Float64Array.from(dist);
  const size = new Float64Array(n).fill(1);
  const node = Int32Array.from({ length: n }, (_, i) => i);
  const alive = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  for (let step = 0; step < n - 1; step++) {
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) if (alive[j] && (bi < 0 || d[i * n + j]! < d[bi * n + bj]!)) [bi, bj] = [i, j];
    }
    const dij = d[bi * n + bj]!;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === bi || k === bj) continue;
      const [ni, nj, nk] = [size[bi]!, size[bj]!, size[k]!];
      const v = ((ni + nk) * d[k * n + bi]! ** 2 + (nj + nk) * d[k * n + bj]! ** 2 - nk * dij ** 2) / (ni + nj + nk);
      d[k * n + bi] = d[bi * n + k] = Math.sqrt(Math.max(0, v));
    }
    merges.push({ a: node[bi]!, b: node[bj]!, height: dij, size: size[bi]! + size[bj]! });
    size[bi] = size[bi]! + size[bj]!;
    node[bi] = n + step;
    alive[bj] = 0;
  }
  return merges;
}

/** Leaf order and link coordinates of a linkage (leaves at y = 0..n-1, height along x). */
export function dendrogram(merges: readonly Merge[], n: number): Dendrogram {
  const order: number[] = [];
  const visit = (id: number): void => {
    if (id < n) order.push(id);
    else {
      visit(merges[id - n]!.a);
      visit(merges[id - n]!.b);
    }
  };
  if (n > 0) visit(n > 1 ? 2 * n - 2 : 0);
  const y = new Float64Array(2 * n);
  const h = new Float64Array(2 * n);
  order.forEach((leaf, pos) => (y[leaf] = pos));
  const links = merges.map((m, i) => {
    y[n + i] = (y[m.a]! + y[m.b]!) / 2;
    h[n + i] = m.height;
    return { ya: y[m.a]!, yb: y[m.b]!, ha: h[m.a]!, hb: h[m.b]!, h: m.height };
  });
  return { order, links };
}

/**
 * A topics.json merge tree (src/toolbox/topicHierarchy.ts: leaves are topic ids, merge i is node
 * nTopics + i) as linkage rows over `ids` (leaf k = ids[k]); null when it does not cover exactly
 * those topics (an older topics.json, say).
 */
export function mergesOf(tree: ReadonlyArray<{ left: number; right: number; distance: number; topics: readonly number[] }>, ids: readonly number[]): Merge[] | null {
  const n = ids.length;
  if (tree.length !== n - 1) return null;
  const leaf = new Map(ids.map((id, k) => [id, k]));
  const node = (x: number): number | undefined => (x >= n ? x : leaf.get(x));
  const out: Merge[] = [];
  for (const m of tree) {
    const [a, b] = [node(m.left), node(m.right)];
    if (a === undefined || b === undefined || m.topics.some((t) => !leaf.has(t))) return null;
    out.push({ a, b, height: m.distance, size: m.topics.length });
  }
  return out;
}
