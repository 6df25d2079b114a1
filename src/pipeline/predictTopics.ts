/**
 * Topics for new documents from a saved fit, as BERTopic's transform: embed (the caller), place in
 * the fit's UMAP space, hdbscan.approximate_predict, then the topic of the predicted cluster after
 * the fit's topic reduction (BERTopic's _map_predictions). Outlier reduction is not applied to new
 * documents (neither does BERTopic's transform).
 *
 * Placing: umap-learn's UMAP.transform without its optimisation epochs. A new point's
 * nNeighbors nearest fitted documents (cosine, HNSW over the fit's embeddings), their membership
 * weights exp(-(d - rho) / sigma) with umap-learn's smooth_knn_dist (local connectivity 0: rho 0),
 * L1-normalised, and the weighted mean of those documents' UMAP coordinates (init_graph_transform).
 * fast-umap has no transform to refine the placement with (src/reduce/README.md, "No transform").
 */
import { createMatrix, type KnnGraph, type Matrix, type Progress } from '../core/types.js';
import { approximatePredict } from '../cluster/predict.js';
import type { HdbscanModel } from '../cluster/model.js';
import { HnswIndex, type HnswOptions } from '../knn/hnswIndex.js';
import { SAME_POINT_DISTANCE } from '../knn/buildKnnGraph.js';
import { smoothKnnDistances } from '../reduce/fast/smoothKnnDistances.js';

export interface SavedClusterModel {
  /** the fitted documents' embeddings and UMAP coordinates, row for row */
  embeddings: Matrix;
  reduced: Matrix;
  model: HdbscanModel;
  /** topic of each HDBSCAN label of `model` */
  clusterTopics: Int32Array;
}

export interface TopicPrediction {
  topics: Int32Array;
  /** approximate_predict's membership strength (0 for outliers) */
  probabilities: Float64Array;
  /** the new documents' UMAP coordinates */
  reduced: Matrix;
}

export interface PredictOptions {
  nNeighbors: number;
  hnsw: HnswOptions;
  onProgress?: Progress;
}

export function predictTopics(saved: SavedClusterModel, x: Matrix, opts: PredictOptions): TopicPrediction {
  const reduced = placeInLayout(saved.embeddings, saved.reduced, x, opts);
  const p = approximatePredict(saved.model, reduced);
  const topics = p.labels.map((l) => (l >= 0 && l < saved.clusterTopics.length ? saved.clusterTopics[l]! : -1));
  return { topics, probabilities: p.probabilities, reduced };
}

/** umap-learn's transform initialisation: each new row at the membership-weighted mean of its fitted neighbours' coordinates. */
export function placeInLayout(trainX: Matrix, trainLayout: Matrix, x: Matrix, opts: PredictOptions): Matrix {
  if (x.cols !== trainX.cols) throw new Error(`the fit's embeddings have ${trainX.cols} dimensions, the new ones ${x.cols} (another embedding model?)`);
  const graph = neighboursIn(trainX, x, Math.min(opts.nNeighbors, trainX.rows), opts);
  // local connectivity 0: rho is 0 (umap-learn: 0 x the first non-zero distance; NaN here when a row has none)
  const { sigmas } = smoothKnnDistances(graph, 0);
  const dim = trainLayout.cols;
  const out = new Float32Array(x.rows * dim);
  const acc = new Float64Array(dim);
  for (let i = 0; i < x.rows; i++) {
    acc.fill(0);
    let total = 0;
    for (let j = 0; j < graph.k; j++) {
      const d = graph.distances[i * graph.k + j]!;
      const w = d <= 0 || sigmas[i] === 0 ? 1 : Math.exp(-d / sigmas[i]!);
      const row = graph.indices[i * graph.k + j]!;
      for (let c = 0; c < dim; c++) acc[c]! += w * trainLayout.data[row * dim + c]!;
      total += w;
    }
    for (let c = 0; c < dim; c++) out[i * dim + c] = total > 0 ? acc[c]! / total : 0;
  }
  return createMatrix(x.rows, dim, out);
}

/** The k nearest fitted documents of every new row (cosine distances, nearest first). */
function neighboursIn(trainX: Matrix, x: Matrix, k: number, opts: PredictOptions): KnnGraph {
  const index = new HnswIndex(trainX.cols, trainX.rows, { ...opts.hnsw, efSearch: Math.max(opts.hnsw.efSearch, k) });
  index.addRows(trainX.data, trainX.rows);
  const indices = new Int32Array(x.rows * k);
  const distances = new Float32Array(x.rows * k);
  const labels = new Int32Array(k);
  const dist = new Float32Array(k);
  for (let i = 0; i < x.rows; i++) {
    const m = index.searchInto(x.data, i * x.cols, k, labels, dist);
    if (m < k) throw new Error(`HNSW returned ${m} of ${k} neighbours`);
    for (let j = 0; j < k; j++) {
      indices[i * k + j] = labels[j]!;
      distances[i * k + j] = dist[j]! <= SAME_POINT_DISTANCE ? 0 : dist[j]!;
    }
    if (opts.onProgress && (i % 500 === 499 || i === x.rows - 1)) opts.onProgress(i + 1, x.rows);
  }
  return { n: x.rows, k, indices, distances };
}
