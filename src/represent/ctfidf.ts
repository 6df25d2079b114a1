/**
 * BERTopic's ClassTfidfTransformer (bertopic/vectorizers/_ctfidf.py) on a topic × term count matrix:
 *
 *   fit:        f_t = total count of term t over all topics (column sum, not a document frequency);
 *               A   = trunc(mean over topics of the topic's total count)   (Python int() of a float);
 *               idf = log(A / f_t + 1)                       (default)
 *               idf = log(1 + (A - f_t + 0.5) / (f_t + 0.5)) (bm25Weighting; can be negative)
 *               idf *= multiplier                           (seed words, optional)
 *   transform:  tf = row / sum(|row|)  (L1; a zero row stays zero)
 *               tf = sqrt(tf)                               (reduceFrequentWords)
 *               score = tf * idf
 */
import type { CsrMatrix } from './csr.js';
import { csrColSums, csrNnz, csrRowSums } from './csr.js';

export interface CtfidfOptions {
  /** BM25-inspired idf (BERTopic bm25_weighting). */
  bm25Weighting?: boolean;
  /** Square root of the L1-normalised term frequencies (BERTopic reduce_frequent_words). */
  reduceFrequentWords?: boolean;
  /** Words whose idf is multiplied by seedMultiplier (BERTopic seed_words). */
  seedWords?: readonly string[];
  /** Default 2, as BERTopic. */
  seedMultiplier?: number;
}

/** The idf vector (ClassTfidfTransformer.fit). vocabulary is only needed for seed words. */
export function fitCtfidfIdf(counts: CsrMatrix, options: CtfidfOptions = {}, vocabulary?: readonly string[]): Float64Array {
  const f = csrColSums(counts);
  const rowSums = csrRowSums(counts);
  let total = 0;
  for (let r = 0; r < rowSums.length; r++) total += rowSums[r]!;
  const avg = counts.rows > 0 ? Math.trunc(total / counts.rows) : 0;
  const idf = new Float64Array(counts.cols);
  const bm25 = options.bm25Weighting ?? false;
  for (let t = 0; t < counts.cols; t++) {
    const ft = f[t]!;
    // A term with no count has no entry to weight; 0 instead of BERTopic's inf keeps sums finite.
    if (ft === 0) continue;
    idf[t] = bm25 ? Math.log(1 + (avg - ft + 0.5) / (ft + 0.5)) : Math.log(avg / ft + 1);
  }
  if (options.seedWords && options.seedWords.length > 0) {
    if (!vocabulary) throw new Error('seedWords needs the vocabulary');
    const mult = options.seedMultiplier ?? 2;
    const seeds = new Set(options.seedWords);
    for (let t = 0; t < vocabulary.length; t++) if (seeds.has(vocabulary[t]!)) idf[t]! *= mult;
  }
  return idf;
}

/** c-TF-IDF scores of count rows (ClassTfidfTransformer.transform); same sparsity as counts. */
export function transformCtfidf(counts: CsrMatrix, idf: Float64Array, options: CtfidfOptions = {}): CsrMatrix {
  if (idf.length !== counts.cols) throw new Error(`idf has ${idf.length} terms, counts have ${counts.cols}`);
  const sqrt = options.reduceFrequentWords ?? false;
  const data = new Float64Array(csrNnz(counts));
  for (let r = 0; r < counts.rows; r++) {
    const a = counts.indptr[r]!;
    const b = counts.indptr[r + 1]!;
    let norm = 0;
    for (let p = a; p < b; p++) norm += Math.abs(counts.data[p]!);
    for (let p = a; p < b; p++) {
      // x / norm as sklearn's normalize does (x * (1/norm) can differ in the last bit).
      let tf = norm > 0 ? counts.data[p]! / norm : counts.data[p]!;
      if (sqrt) tf = Math.sqrt(tf);
      data[p] = tf * idf[counts.indices[p]!]!;
    }
  }
  return { rows: counts.rows, cols: counts.cols, indptr: counts.indptr, indices: counts.indices, data };
}
