/**
 * The two topic representations BERTopic compares topics and documents by: topic embeddings (the
 * mean embedding of a topic's documents, BERTopic's topic_embeddings_) and c-TF-IDF rows
 * (c_tf_idf_), with cosine similarity against either.
 */
import { createMatrix, type Matrix } from '../core/types.js';
import type { CsrMatrix } from '../represent/csr.js';
import { topicRowOf, type TopicTerms } from '../represent/topicTerms.js';

/** The topic ids of labels, ascending, without -1. */
export function topicIdsOf(labels: ArrayLike<number>): number[] {
  const ids = new Set<number>();
  for (let i = 0; i < labels.length; i++) if (labels[i]! >= 0) ids.add(labels[i]!);
  return [...ids].sort((a, b) => a - b);
}

/** Row t: the mean embedding of the documents labelled topicIds[t] (float32, as BERTopic's). */
export function meanEmbeddings(embeddings: Matrix, labels: ArrayLike<number>, topicIds: readonly number[]): Matrix {
  const d = embeddings.cols;
  const rowOf = new Map(topicIds.map((id, t) => [id, t]));
  const sums = new Float64Array(topicIds.length * d);
  const counts = new Float64Array(topicIds.length);
  for (let i = 0; i < labels.length; i++) {
    const t = rowOf.get(labels[i]!);
    if (t === undefined) continue;
    counts[t]!++;
    for (let j = 0; j < d; j++) sums[t * d + j]! += embeddings.data[i * d + j]!;
  }
  const out = new Float32Array(sums.length);
  for (let t = 0; t < topicIds.length; t++) for (let j = 0; j < d; j++) out[t * d + j] = counts[t]! > 0 ? sums[t * d + j]! / counts[t]! : 0;
  return createMatrix(topicIds.length, d, out);
}

/** Cosine similarity of every row of a with every row of b (a.rows x b.rows); 0 for a zero row, as sklearn. */
export function denseCosine(a: Matrix, b: Matrix): Float64Array {
  if (a.cols !== b.cols) throw new Error(`cosine: ${a.cols} vs ${b.cols} dimensions`);
  const d = a.cols;
  const norms = (m: Matrix) => {
    const n = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += m.data[i * d + j]! * m.data[i * d + j]!;
      n[i] = Math.sqrt(s);
    }
    return n;
  };
  const na = norms(a);
  const nb = norms(b);
  const out = new Float64Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < b.rows; k++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += a.data[i * d + j]! * b.data[k * d + j]!;
      out[i * b.rows + k] = na[i]! > 0 && nb[k]! > 0 ? dot / (na[i]! * nb[k]!) : 0;
    }
  }
  return out;
}

/** Topic c-TF-IDF rows by column, for sparse cosine similarities against many vectors. */
class SparseTopicIndex {
  readonly nTopics: number;
  private readonly colPtr: Int32Array;
  private readonly colTopic: Int32Array;
  private readonly colValue: Float64Array;
  private readonly norms: Float64Array;

  /** rows[t] of `m` is topic t (a row of -1 = a topic without row: every similarity 0). */
  constructor(m: CsrMatrix, rows: readonly number[]) {
    this.nTopics = rows.length;
    this.norms = new Float64Array(rows.length);
    const colPtr = new Int32Array(m.cols + 1);
    rows.forEach((r) => {
      if (r >= 0) for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) colPtr[m.indices[p]! + 1]!++;
    });
    for (let c = 0; c < m.cols; c++) colPtr[c + 1]! += colPtr[c]!;
    const fill = colPtr.slice(0, m.cols);
    this.colTopic = new Int32Array(colPtr[m.cols]!);
    this.colValue = new Float64Array(colPtr[m.cols]!);
    rows.forEach((r, t) => {
      if (r < 0) return;
      let s = 0;
      for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
        const q = fill[m.indices[p]!]!++;
        this.colTopic[q] = t;
        this.colValue[q] = m.data[p]!;
        s += m.data[p]! * m.data[p]!;
      }
      this.norms[t] = Math.sqrt(s);
    });
    this.colPtr = colPtr;
  }

  /** Cosine similarity of the sparse vector (cols, values) with every topic, into out (length nTopics). */
  cosine(cols: ArrayLike<number>, values: ArrayLike<number>, out: Float64Array): void {
    out.fill(0);
    let norm = 0;
    for (let i = 0; i < cols.length; i++) {
      const v = values[i]!;
      norm += v * v;
      const c = cols[i]!;
      for (let q = this.colPtr[c]!; q < this.colPtr[c + 1]!; q++) out[this.colTopic[q]!]! += v * this.colValue[q]!;
    }
    norm = Math.sqrt(norm);
    for (let t = 0; t < this.nTopics; t++) out[t] = norm > 0 && this.norms[t]! > 0 ? out[t]! / (norm * this.norms[t]!) : 0;
  }

  /** Cosine of every row of a CSR matrix with every topic (m.rows x nTopics). */
  cosineRows(m: CsrMatrix): Float64Array {
    const out = new Float64Array(m.rows * this.nTopics);
    const row = new Float64Array(this.nTopics);
    for (let r = 0; r < m.rows; r++) {
      const a = m.indptr[r]!;
      const b = m.indptr[r + 1]!;
      this.cosine(m.indices.subarray(a, b), m.data.subarray(a, b), row);
      out.set(row, r * this.nTopics);
    }
    return out;
  }
}

/** The c-TF-IDF rows of topicIds in terms (BERTopic's c_tf_idf_[self._outliers:]). */
export function ctfidfIndex(terms: TopicTerms, topicIds: readonly number[]): SparseTopicIndex {
  return new SparseTopicIndex(terms.scores, topicIds.map((id) => topicRowOf(terms, id)));
}
