/**
 * Topic reduction as BERTopic 0.17's reduce_topics / fit_transform(nr_topics=...):
 *
 * - nr_topics = N (_reduce_to_n_topics): the cosine distance of the topic vectors (without -1),
 *   AgglomerativeClustering(N - 1 if there are outliers else N, average linkage, precomputed);
 *   every topic of a cluster becomes one topic. N counts the outlier topic, as BERTopic's does.
 *   Nothing happens when N is not below the number of topics (-1 included).
 * - nr_topics = "auto" (_auto_reduce_topics): HDBSCAN(min_cluster_size=2, euclidean, eom) over
 *   the L2-normalised topic vectors; each cluster of topics merges into its lowest topic id,
 *   topics HDBSCAN calls noise stay as they are.
 * - then _sort_mappings_by_frequency: topics renumbered by size, largest 0, -1 stays -1 (equal
 *   sizes: the merged topic with the lowest old id first; BERTopic's order there is pandas').
 *
 * Topic vectors: the mean document embeddings (BERTopic's default, use_ctfidf=False) or the
 * c-TF-IDF rows (use_ctfidf=True).
 */
import type { Matrix } from '../core/types.js';
import { fitHdbscan } from '../cluster/hdbscan.js';
import type { TopicTerms } from '../represent/topicTerms.js';
import { averageLinkageClusters } from './averageLinkage.js';
import { pointsFromGram } from './gramPoints.js';
import { sortByFrequency } from './sortByFrequency.js';
import { ctfidfIndex, denseCosine, meanEmbeddings, topicIdsOf } from './topicVectors.js';
import { createMatrix } from '../core/types.js';

export type NrTopics = number | 'auto';
export type TopicDistance = 'embeddings' | 'c-tf-idf';

export interface ReduceTopicsInput {
  labels: Int32Array;
  nrTopics: NrTopics;
  distance: TopicDistance;
  /** for distance 'embeddings' */
  embeddings?: Matrix;
  /** for distance 'c-tf-idf': the c-TF-IDF of `labels` */
  terms?: TopicTerms;
}

export interface ReducedTopics {
  /** the new topic per document */
  labels: Int32Array;
  /** old topic id -> new topic id (-1 -> -1) */
  mapping: Map<number, number>;
}

export function reduceTopics(input: ReduceTopicsInput): ReducedTopics {
  const { labels, nrTopics } = input;
  const ids = topicIdsOf(labels);
  const hasOutliers = labels.includes(-1);
  const identity = new Map<number, number>([[-1, -1], ...ids.map((id): [number, number] => [id, id])]);
  if (ids.length < 2) return { labels: labels.slice(), mapping: identity };
  let merged: Map<number, number>;
  if (nrTopics === 'auto') {
    merged = autoMerge(ids, topicPoints(input, ids));
  } else {
    if (nrTopics >= ids.length + (hasOutliers ? 1 : 0)) return { labels: labels.slice(), mapping: identity };
    const k = Math.max(1, nrTopics - (hasOutliers ? 1 : 0));
    const cos = topicCosine(input, ids);
    const dist = new Float64Array(cos.length);
    for (let i = 0; i < cos.length; i++) dist[i] = 1 - cos[i]!;
    const clusters = averageLinkageClusters(dist, ids.length, k);
    merged = new Map(ids.map((id, t) => [id, clusters[t]!]));
  }
  const step = labels.map((l) => (l < 0 ? -1 : merged.get(l)!));
  const lowestOld = new Map<number, number>();
  for (const id of ids) if (!lowestOld.has(merged.get(id)!)) lowestOld.set(merged.get(id)!, id); // ids ascend
  const sorted = sortByFrequency(step, (t) => lowestOld.get(t)!);
  const mapping = new Map<number, number>([[-1, -1]]);
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) mapping.set(labels[i]!, sorted.labels[i]!);
  return { labels: sorted.labels, mapping };
}

/** Cosine similarity of every pair of topics (ids.length squared, row-major). */
function topicCosine(input: ReduceTopicsInput, ids: readonly number[]): Float64Array {
  if (input.distance === 'embeddings') {
    if (!input.embeddings) throw new Error('reduceTopics: distance "embeddings" needs the embeddings');
    const v = meanEmbeddings(input.embeddings, input.labels, ids);
    return denseCosine(v, v);
  }
  if (!input.terms) throw new Error('reduceTopics: distance "c-tf-idf" needs the c-TF-IDF of the topics');
  const index = ctfidfIndex(input.terms, ids);
  const rows = ids.map((id) => input.terms!.topicIds.indexOf(id));
  const scores = input.terms.scores;
  const out = new Float64Array(ids.length * ids.length);
  const row = new Float64Array(ids.length);
  rows.forEach((r, t) => {
    const a = scores.indptr[r]!;
    const b = scores.indptr[r + 1]!;
    index.cosine(scores.indices.subarray(a, b), scores.data.subarray(a, b), row);
    out.set(row, t * ids.length);
  });
  return out;
}

/** The L2-normalised topic vectors as points (c-TF-IDF rows through their Gram matrix). */
function topicPoints(input: ReduceTopicsInput, ids: readonly number[]): Matrix {
  if (input.distance === 'c-tf-idf') return pointsFromGram(topicCosine(input, ids), ids.length);
  if (!input.embeddings) throw new Error('reduceTopics: distance "embeddings" needs the embeddings');
  const v = meanEmbeddings(input.embeddings, input.labels, ids);
  const out = new Float32Array(v.data.length);
  for (let t = 0; t < v.rows; t++) {
    let s = 0;
    for (let j = 0; j < v.cols; j++) s += v.data[t * v.cols + j]! ** 2;
    const norm = Math.sqrt(s);
    for (let j = 0; j < v.cols; j++) out[t * v.cols + j] = norm > 0 ? v.data[t * v.cols + j]! / norm : 0;
  }
  return createMatrix(v.rows, v.cols, out);
}

/** _auto_reduce_topics: HDBSCAN(min_cluster_size=2) over the topics; a cluster's topics map to its lowest id. */
function autoMerge(ids: readonly number[], points: Matrix): Map<number, number> {
  const model = fitHdbscan(points, { minClusterSize: 2 });
  const lowest = new Map<number, number>();
  ids.forEach((id, t) => {
    const c = model.labels[t]!;
    if (c >= 0 && !lowest.has(c)) lowest.set(c, id); // ids ascend: the first is the lowest
  });
  return new Map(ids.map((id, t) => [id, model.labels[t]! >= 0 ? lowest.get(model.labels[t]!)! : id]));
}
