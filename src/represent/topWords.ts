/**
 * The top-scoring words of each row of a c-TF-IDF matrix (BERTopic's _extract_words_per_topic
 * without a representation model).
 *
 * BERTopic pads a topic that has fewer than top_n_words positive scores with ("", 0.00001); here such
 * entries are simply left out, so `words` holds only words with score > 0 (with bm25Weighting,
 * negative-idf words are left out too, as BERTopic's `score > 0` test does). Equal scores are
 * ordered by vocabulary position (alphabetical); BERTopic's order among ties is whatever numpy's
 * argpartition/argsort leave, i.e. unspecified.
 */
import type { CsrMatrix } from './csr.js';

export interface WordScore {
  word: string;
  score: number;
}

/** Top n (score > 0) words of one row, best first. */
export function topWordsOfRow(scores: CsrMatrix, vocabulary: readonly string[], row: number, n: number): WordScore[] {
  if (n <= 0) return [];
  // A small sorted buffer (best first) of entry positions; rows are long, n is small.
  const buf = new Int32Array(n);
  let size = 0;
  const better = (p: number, q: number): boolean => {
    const a = scores.data[p]!;
    const b = scores.data[q]!;
    return a > b || (a === b && scores.indices[p]! < scores.indices[q]!);
  };
  for (let p = scores.indptr[row]!; p < scores.indptr[row + 1]!; p++) {
    if (!(scores.data[p]! > 0)) continue;
    if (size === n && !better(p, buf[n - 1]!)) continue;
    let i = size < n ? size++ : n - 1;
    while (i > 0 && better(p, buf[i - 1]!)) {
      buf[i] = buf[i - 1]!;
      i--;
    }
    buf[i] = p;
  }
  const out: WordScore[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const p = buf[i]!;
    out[i] = { word: vocabulary[scores.indices[p]!]!, score: scores.data[p]! };
  }
  return out;
}

/** Top n words of every row. */
export function topWordsPerRow(scores: CsrMatrix, vocabulary: readonly string[], n: number): WordScore[][] {
  const out: WordScore[][] = [];
  for (let r = 0; r < scores.rows; r++) out.push(topWordsOfRow(scores, vocabulary, r, n));
  return out;
}
