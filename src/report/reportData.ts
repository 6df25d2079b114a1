/**
 * Everything the HTML report draws, computed from a `topicstream fit` output folder: the
 * BERTopic visualize_* figures' data (bar charts, document map, topics over time, hierarchy,
 * heatmap). The page (renderHtml.ts) only draws it.
 */
import type { Matrix } from '../core/types.js';
import { readTopicsFile, readTopicsOverTime, type TopicsFile } from '../model/outputs.js';
import { readModelSnapshot } from '../model/snapshot.js';
import type { HnswOptions } from '../knn/index.js';
import { roundTo } from '../core/round.js';
import { documentMap } from './documentMap.js';
import { dendrogram, mergesOf, wardLinkage, type Dendrogram } from './hierarchy.js';
import { cosineMatrix, wordVectors } from './similarity.js';
import { centroidsOf } from '../stream/refit/centroids.js';

/** Words per bar chart (BERTopic's visualize_barchart shows 5; we show the topic's 10). */
export const BAR_WORDS = 10;
/** Characters of a document shown when hovering on the map. */
const HOVER_CHARS = 300;

export interface ReportTopic {
  id: number;
  label: string;
  size: number;
  words: Array<{ word: string; score: number }>;
}

export interface ReportData {
  source: string;
  model: string;
  createdAt: string;
  nDocs: number;
  outliers: number;
  /** the topics without -1, largest first */
  topics: ReportTopic[];
  map: { nSampled: number; texts: string[]; series: Array<{ id: number; points: number[][] }> };
  overTime: { bins: string[]; series: Array<{ id: number; counts: number[]; words: string[][] }> } | null;
  /** leaves are indices into topics */
  hierarchy: Dendrogram | null;
  /** cosine similarity of topic centroids, topics × topics row-major */
  heatmap: number[] | null;
}

export interface ReportOptions {
  /** documents on the map at most */
  maxMapDocs: number;
  seed: number;
  hnsw: HnswOptions;
}

function reportTopics(file: TopicsFile): ReportTopic[] {
  return file.topics
    .filter((t) => t.id !== -1)
    .sort((a, b) => b.size - a.size || a.id - b.id)
    .map((t) => ({ id: t.id, label: t.label, size: t.size, words: t.words.slice(0, BAR_WORDS) }));
}

export async function buildReportData(dir: string, opts: ReportOptions): Promise<ReportData> {
  const file = readTopicsFile(dir);
  const snap = readModelSnapshot(dir);
  const topics = reportTopics(file);
  const ids = topics.map((t) => t.id);
  const map = await documentMap(snap.embeddings, { maxDocs: opts.maxMapDocs, seed: opts.seed, hnsw: opts.hnsw });
  const byTopic = new Map<number, number[][]>();
  map.sample.forEach((doc, i) => {
    const id = snap.labels[doc]!;
    if (!byTopic.has(id)) byTopic.set(id, []);
    byTopic.get(id)!.push([roundTo(map.xy[2 * i]!, 4), roundTo(map.xy[2 * i + 1]!, 4), i]);
  });
  const stored = new Map(snap.topics.map((t) => [t.id, t.words]));
  const vectors = wordVectors(topics.map((t) => ({ words: stored.get(t.id) ?? t.words })));
  const n = topics.length;
  const dist = cosineMatrix(vectors).map((s) => Math.max(0, 1 - s));
  const overTime = readTopicsOverTime(dir);
  return {
    source: dir,
    model: file.model,
    createdAt: file.created_at,
    nDocs: file.n_docs,
    outliers: file.outliers,
    topics,
    map: {
      nSampled: map.sample.length,
      texts: map.sample.map((i) => snap.docs[i]!.text.slice(0, HOVER_CHARS)),
      series: [...ids, -1].filter((id) => byTopic.has(id)).map((id) => ({ id, points: byTopic.get(id)! })),
    },
    overTime: overTime && {
      bins: overTime.bins.map((b) => b.start),
      series: overTime.topics.filter((t) => t.id !== -1).map((t) => ({ id: t.id, counts: t.counts, words: t.words })),
    },
    hierarchy: n >= 2 ? dendrogram((file.hierarchy && mergesOf(file.hierarchy, ids)) ?? wardLinkage(dist, n), n) : null,
    heatmap: n >= 1 ? Array.from(cosineMatrix(topicRows(snap.embeddings, snap.labels, ids)), (v) => roundTo(v, 4)) : null,
  };
}

/** Each topic's centroid (the stream's centroidsOf), one row per id; a zero row for a topic without documents. */
function topicRows(embeddings: Matrix, labels: Int32Array, ids: readonly number[]): Float64Array[] {
  const c = centroidsOf(labels, embeddings.data, embeddings.cols);
  return ids.map((id) => Float64Array.from(c.get(id) ?? new Float32Array(embeddings.cols)));
}
