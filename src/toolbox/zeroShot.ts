/**
 * Zero-shot topics (BERTopic 0.17.4's zeroshot_topic_list, zeroshot_min_similarity:
 * _zeroshot_topic_modeling and _combine_zeroshot_topics). A document whose embedding has cosine
 * similarity >= minSimilarity with a named topic's embedding (the name embedded with the same
 * model) goes to the most similar named topic; the rest are clustered as usual. The combined
 * labels: the matched named topics first (0..k-1, in the order of the names), then the clusters
 * shifted by k; -1 stays -1. As BERTopic, the topics are then not renumbered by size.
 */
import type { Matrix } from '../core/types.js';

export interface ZeroShotMatch {
  /** index of the named topic a document goes to, -1 when below minSimilarity (to be clustered) */
  topic: Int32Array;
  /** the document's best similarity with a named topic */
  similarity: Float32Array;
}

/** Row norms (a zero row: 1, so its similarities are 0, as sklearn's normalize). */
function norms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let c = 0; c < m.cols; c++) s += m.data[r * m.cols + c]! ** 2;
    out[r] = s > 0 ? Math.sqrt(s) : 1;
  }
  return out;
}

/** cosine_similarity(a, b), row by row: best column (first on ties, as argmax) and its value. */
export function bestCosine(a: Matrix, b: Matrix): { index: Int32Array; value: Float32Array } {
  if (a.cols !== b.cols) throw new Error(`dimensions differ: ${a.cols} vs ${b.cols}`);
  const na = norms(a);
  const nb = norms(b);
  const index = new Int32Array(a.rows);
  const value = new Float32Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let best = -Infinity;
    let arg = 0;
    for (let j = 0; j < b.rows; j++) {
      let dot = 0;
      for (let c = 0; c < a.cols; c++) dot += a.data[i * a.cols + c]! * b.data[j * b.cols + c]!;
      const s = dot / (na[i]! * nb[j]!);
      if (s > best) [best, arg] = [s, j];
    }
    index[i] = arg;
    value[i] = best;
  }
  return { index, value };
}

/** Which documents go to a named topic (_zeroshot_topic_modeling). */
export function matchZeroShot(embeddings: Matrix, nameEmbeddings: Matrix, minSimilarity: number): ZeroShotMatch {
  const { index, value } = bestCosine(embeddings, nameEmbeddings);
  const topic = new Int32Array(embeddings.rows);
  for (let i = 0; i < topic.length; i++) topic[i] = value[i]! >= minSimilarity ? index[i]! : -1;
  return { topic, similarity: value };
}

/** The rows left to cluster (no named topic matched), in document order. */
export function unmatchedRows(match: ZeroShotMatch): Int32Array {
  const rows: number[] = [];
  match.topic.forEach((t, i) => {
    if (t < 0) rows.push(i);
  });
  return Int32Array.from(rows);
}

/**
 * _combine_zeroshot_topics: every document's topic from the match and from the clusters of the
 * unmatched rows (clusterLabels[j] is row unmatched[j]'s cluster). names: topic id -> name index.
 */
export function combineZeroShot(match: ZeroShotMatch, unmatched: Int32Array, clusterLabels: Int32Array): { labels: Int32Array; names: Map<number, number> } {
  if (clusterLabels.length !== unmatched.length) throw new Error(`${clusterLabels.length} cluster labels for ${unmatched.length} rows`);
  const used = [...new Set(match.topic)].filter((t) => t >= 0).sort((a, b) => a - b);
  const idOf = new Map(used.map((t, i) => [t, i]));
  const labels = new Int32Array(match.topic.length);
  match.topic.forEach((t, i) => (labels[i] = t >= 0 ? idOf.get(t)! : -1));
  unmatched.forEach((row, j) => (labels[row] = clusterLabels[j]! < 0 ? -1 : clusterLabels[j]! + used.length));
  return { labels, names: new Map(used.map((t, i) => [i, t])) };
}
