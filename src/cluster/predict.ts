import type { Matrix } from '../core/types.js';
import { KnnSearcher } from './knnSearch.js';
import type { HdbscanModel } from './model.js';
import { predictionIndex } from './predictionIndex.js';

export interface Prediction {
  /** label of the fitted clustering per row, -1 = noise */
  readonly labels: Int32Array;
  /** membership strength per row in [0, 1] */
  readonly probabilities: Float64Array;
}

/**
 * Assigns new points to the clusters of a fitted model without refitting, as the `hdbscan`
 * package's approximate_predict (which BERTopic's transform uses): a new point joins the tree
 * through its nearest training point in mutual reachability distance, at lambda = 1 / that
 * distance, and takes the label of the cluster it would fall out of at that lambda.
 *
 * Follows the package step by step: its 2*min_samples nearest training points; its own core
 * distance = the distance to the (min_samples+1)-th of them; the neighbours' prediction core
 * distances; the first neighbour with the smallest mutual reachability distance wins.
 */
export function approximatePredict(model: HdbscanModel, points: Matrix): Prediction {
  if (points.cols !== model.dim) {
    throw new Error(`approximatePredict: points have ${points.cols} dimensions, the model ${model.dim}`);
  }
  const m = points.rows;
  const labels = new Int32Array(m).fill(-1);
  const probabilities = new Float64Array(m);
  const ct = model.condensedTree;
  const np = ct.nPoints;
  // No cluster below the root: everything is noise (the package warns and does the same).
  if (ct.nClusters <= 1 || np === 0) return { labels, probabilities };

  const idx = predictionIndex(model);
  const tree = idx.tree;
  const ms = model.minSamples;
  const searcher = new KnnSearcher(tree, 2 * ms);
  const k = searcher.k;
  const coreAt = Math.min(ms, k - 1);
  const dim = model.dim;
  const q = new Float64Array(dim);
  const core = model.predictionCore;

  for (let r = 0; r < m; r++) {
    let finite = true;
    for (let d = 0; d < dim; d++) {
      const v = points.data[r * dim + d];
      q[d] = v;
      if (!Number.isFinite(v)) finite = false;
    }
    if (!finite) continue; // noise, probability 0
    searcher.query(q, 0);
    const ownCore = Math.sqrt(searcher.dist2[coreAt]);
    let best = -1;
    let bestMr = Infinity;
    for (let t = 0; t < k; t++) {
      const p = tree.idx[searcher.posOut[t]];
      let mr = Math.sqrt(searcher.dist2[t]);
      if (core[p] > mr) mr = core[p];
      if (ownCore > mr) mr = ownCore;
      if (mr < bestMr) {
        bestMr = mr;
        best = p;
      }
    }
    const lambda = bestMr > 0 ? 1 / bestMr : Number.MAX_VALUE;
    let cluster = idx.pointCluster[best];
    if (idx.pointLambda[best] > lambda) {
      // the new point joins less densely than its neighbour: climb to the cluster alive at lambda
      while (cluster > 0 && idx.clusterBirth[cluster] >= lambda) cluster = idx.clusterParent[cluster];
    }
    const label = idx.clusterLabel[cluster];
    if (label < 0) continue;
    labels[r] = label;
    const maxL = idx.clusterMaxLambda[cluster];
    probabilities[r] = maxL > 0 ? Math.min(maxL, lambda) / maxL : 1;
  }
  return { labels, probabilities };
}
