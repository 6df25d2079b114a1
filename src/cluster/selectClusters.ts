import type { ClusterHierarchy } from './clusterHierarchy.js';
import type { ClusterSelectionMethod } from './options.js';

export interface SelectionOptions {
  method: ClusterSelectionMethod;
  epsilon: number;
  allowSingleCluster: boolean;
}

/**
 * Chooses the flat clustering from the cluster hierarchy, as the `hdbscan` package's get_clusters:
 * - 'eom' (excess of mass): bottom up, a cluster is kept if its stability is at least the summed
 *   stability of its kept descendants, otherwise it is replaced by them;
 * - 'leaf': the leaves of the hierarchy;
 * then, with epsilon > 0, a chosen cluster born below distance epsilon is replaced by its lowest
 * ancestor born above epsilon (Malzer & Baum 2019). The root can only be chosen when
 * allowSingleCluster is set.
 *
 * Returns selected[c] = 1 for chosen cluster indices (index 0 = root). `stability` is updated in
 * place as the package does (an unselected cluster takes its subtree's stability).
 */
export function selectClusters(h: ClusterHierarchy, stability: Float64Array, o: SelectionOptions): Uint8Array {
  const nc = h.nClusters;
  const lowest = o.allowSingleCluster ? 0 : 1; // candidates are lowest..nc-1
  const selected = new Uint8Array(nc);
  const stack = new Int32Array(nc);

  if (o.method === 'eom') {
    for (let c = lowest; c < nc; c++) selected[c] = 1;
    // Children have larger indices than parents, so a descending pass is bottom-up.
    for (let c = nc - 1; c >= lowest; c--) {
      // The package sums the children's stabilities in a C float; rounding the same way keeps
      // near-tied decisions identical.
      let sub = 0;
      for (let i = h.childStart[c]; i < h.childStart[c + 1]; i++) sub = Math.fround(sub + stability[h.childList[i]]);
      if (sub > stability[c]) {
        selected[c] = 0;
        stability[c] = sub;
      } else {
        markDescendants(h, c, selected, 0, stack);
      }
    }
    if (o.epsilon !== 0 && nc > 1) {
      const chosen = listOf(selected);
      let keep: Uint8Array;
      if (chosen.length === 1 && chosen[0] === 0) {
        keep = new Uint8Array(nc);
        if (o.allowSingleCluster) keep[0] = 1;
      } else {
        keep = epsilonSearch(h, chosen, o.epsilon, o.allowSingleCluster);
      }
      for (let c = lowest; c < nc; c++) selected[c] = keep[c];
    }
    return selected;
  }

  // 'leaf'
  const leaves: number[] = [];
  if (nc > 1) {
    for (let c = 1; c < nc; c++) if (h.childStart[c + 1] === h.childStart[c]) leaves.push(c);
  }
  let keep: Uint8Array;
  if (o.epsilon !== 0) {
    keep = epsilonSearch(h, leaves, o.epsilon, o.allowSingleCluster);
  } else {
    keep = new Uint8Array(nc);
    for (const c of leaves) keep[c] = 1;
  }
  for (let c = lowest; c < nc; c++) selected[c] = keep[c];
  return selected;
}

/**
 * For each candidate born below distance epsilon (1/birth < epsilon), climb to the lowest ancestor
 * born above epsilon (or the root's child, or the root if allowed) and select that instead; the
 * ancestor's descendants are then skipped. Candidates are visited in increasing id order (the
 * package iterates a Python set, which differs only when candidates nest, a rare corner).
 */
function epsilonSearch(h: ClusterHierarchy, candidates: readonly number[], epsilon: number, allowSingle: boolean): Uint8Array {
  const nc = h.nClusters;
  const out = new Uint8Array(nc);
  const processed = new Uint8Array(nc);
  const stack = new Int32Array(nc);
  for (const leaf of candidates) {
    const eps = 1 / h.birth[leaf];
    if (eps < epsilon) {
      if (processed[leaf]) continue;
      const top = climb(h, leaf, epsilon, allowSingle);
      out[top] = 1;
      markDescendants(h, top, processed, 1, stack);
    } else {
      out[leaf] = 1;
    }
  }
  return out;
}

function climb(h: ClusterHierarchy, leaf: number, epsilon: number, allowSingle: boolean): number {
  let node = leaf;
  for (;;) {
    const p = h.parent[node];
    if (p === 0) return allowSingle ? 0 : node;
    if (1 / h.birth[p] > epsilon) return p;
    node = p;
  }
}

/** Sets flags[d] = value for every strict descendant d of c. */
function markDescendants(h: ClusterHierarchy, c: number, flags: Uint8Array, value: number, stack: Int32Array): void {
  let sp = 0;
  for (let i = h.childStart[c]; i < h.childStart[c + 1]; i++) stack[sp++] = h.childList[i];
  while (sp > 0) {
    const d = stack[--sp];
    flags[d] = value;
    for (let i = h.childStart[d]; i < h.childStart[d + 1]; i++) stack[sp++] = h.childList[i];
  }
}

function listOf(flags: Uint8Array): number[] {
  const out: number[] = [];
  for (let c = 0; c < flags.length; c++) if (flags[c]) out.push(c);
  return out;
}
