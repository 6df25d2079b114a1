import type { KdTree } from './kdtree.js';
import { KnnSearcher } from './knnSearch.js';

export interface CoreDistances {
  /** core distance used for the fit, per tree position (a plain distance, not squared) */
  readonly core: Float64Array;
  /** core distance for prediction data, per ORIGINAL point index */
  readonly predictionCore: Float64Array;
  /** kFit neighbours (tree positions, nearest first, the point itself usually first) per position */
  readonly neighbours: Int32Array;
  /** neighbours per point in `neighbours` */
  readonly k: number;
}

/**
 * Core distances: the distance to a point's k-th nearest neighbour, the point itself counted as
 * the first (scikit-learn's KDTree.query(X, k)[0][:, -1]).
 *
 * The `hdbscan` package is not consistent here and we follow it: the fit uses k = min_samples + 1
 * (min_samples other points), while the prediction data behind approximate_predict uses
 * k = min_samples. Both come out of one k-NN pass with k = max(kFit, kPredict).
 *
 * The fit neighbour lists are kept because they give the Borůvka MST most first-round edges for free.
 */
export function coreDistances(tree: KdTree, kFit: number, kPredict: number): CoreDistances {
  const n = tree.n;
  const kf = Math.max(1, Math.min(kFit, n));
  const kp = Math.max(1, Math.min(kPredict, n));
  const searcher = new KnnSearcher(tree, Math.max(kf, kp));
  const core = new Float64Array(n);
  const predictionCore = new Float64Array(n);
  const neighbours = new Int32Array(n * kf);
  const dim = tree.dim;
  for (let j = 0; j < n; j++) {
    searcher.query(tree.pts, j * dim);
    core[j] = Math.sqrt(searcher.dist2[kf - 1]);
    predictionCore[tree.idx[j]] = Math.sqrt(searcher.dist2[kp - 1]);
    const out = searcher.posOut;
    for (let t = 0, base = j * kf; t < kf; t++) neighbours[base + t] = out[t];
  }
  return { core, predictionCore, neighbours, k: kf };
}
