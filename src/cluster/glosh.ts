import type { ClusterHierarchy } from './clusterHierarchy.js';
import type { CondensedTree } from './types.js';

/**
 * GLOSH outlier scores (Campello et al. 2015), as the package's outlier_scores_: for a point that
 * left cluster C at lambda, 1 - lambda / lambda_max(C), where lambda_max(C) is the largest lambda
 * anywhere in C's subtree (the density of its densest part). 0 = as dense as its cluster's core.
 */
export function outlierScores(tree: CondensedTree, h: ClusterHierarchy): Float64Array {
  const np = tree.nPoints;
  const nc = h.nClusters;
  const deepest = Float64Array.from(h.maxLambda);
  // children have larger indices than parents: a descending pass propagates maxima upwards
  for (let c = nc - 1; c >= 1; c--) {
    const p = h.parent[c];
    if (deepest[c] > deepest[p]) deepest[p] = deepest[c];
  }
  const scores = new Float64Array(np);
  for (let i = 0; i < tree.parent.length; i++) {
    const p = tree.child[i];
    if (p >= np) continue;
    const lamMax = deepest[tree.parent[i] - np];
    const lam = tree.lambda[i];
    scores[p] = lamMax === 0 || !Number.isFinite(lam) ? 0 : (lamMax - lam) / lamMax;
  }
  return scores;
}
