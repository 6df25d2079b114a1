/** Connected components of a symmetric CSR graph (union-find with path halving). */
import type { FuzzyGraph } from './fuzzySimplicialSet.js';

export interface Components {
  /** component of each vertex, 0 = the largest component */
  readonly label: Int32Array;
  /** size of each component, descending */
  readonly sizes: Int32Array;
}

export function connectedComponents(g: FuzzyGraph): Components {
  const { n, rowPtr, cols } = g;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  for (let i = 0; i < n; i++) {
    for (let t = rowPtr[i]!; t < rowPtr[i + 1]!; t++) {
      const a = find(i);
      const b = find(cols[t]!);
      if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
    }
  }
  // Number roots by first appearance, then renumber by size (descending, ties by first vertex) so
  // the labelling is deterministic.
  const rootId = new Int32Array(n).fill(-1);
  const firstSizes: number[] = [];
  const raw = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (rootId[r] === -1) {
      rootId[r] = firstSizes.length;
      firstSizes.push(0);
    }
    raw[i] = rootId[r]!;
    firstSizes[raw[i]!]!++;
  }
  const order = firstSizes.map((_, c) => c).sort((x, y) => firstSizes[y]! - firstSizes[x]! || x - y);
  const rename = new Int32Array(order.length);
  order.forEach((c, rank) => (rename[c] = rank));
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = rename[raw[i]!]!;
  const sizes = Int32Array.from(order.map((c) => firstSizes[c]!));
  return { label, sizes };
}
