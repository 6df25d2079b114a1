/**
 * BERTopic 0.17's approximate_distribution (c-TF-IDF variant, padding off, per token set): each
 * document is split into tokens by the vectorizer's tokenizer (the token pattern on the raw text),
 * token sets of `window` tokens start every `stride` tokens (a document shorter than the window is
 * one set), each set's c-TF-IDF vector is compared (cosine) with every topic's c-TF-IDF row,
 * similarities below minSimilarity count 0, and a document's distribution is the L1-normalised
 * sum over its sets.
 */
import { countOverVocabulary } from '../represent/countVectorizer.js';
import { transformCtfidf } from '../represent/ctfidf.js';
import type { TopicTerms } from '../represent/topicTerms.js';
import { forEachWordToken } from '../represent/wordTokenizer.js';
import { ctfidfIndex } from './topicVectors.js';

/** Documents whose token sets are counted together (BERTopic's batch_size is 1000). */
const BATCH = 500;

export interface DistributionOptions {
  /** tokens per set (default 4) */
  window?: number;
  /** tokens between the starts of two sets (default 1) */
  stride?: number;
  /** set similarities below this count 0 (default 0.1, approximate_distribution's) */
  minSimilarity?: number;
}

/** The token sets of one document, each joined by one space. */
function tokenSets(text: string, window: number, stride: number): string[] {
  const tokens: string[] = [];
  forEachWordToken(text, (t) => tokens.push(t));
  if (tokens.length < window) return [tokens.join(' ')];
  const sets: string[] = [];
  for (let s = 0; s + window <= tokens.length; s += stride) sets.push(tokens.slice(s, s + window).join(' '));
  return sets;
}

/** docs x topicIds, each row L1-normalised (all zeros when no set is similar enough). */
export function approximateDistribution(
  docs: readonly string[],
  terms: TopicTerms,
  topicIds: readonly number[],
  options: DistributionOptions = {},
  onProgress?: (done: number, total: number) => void,
): Float64Array {
  const window = options.window ?? 4;
  const stride = options.stride ?? 1;
  const minSim = options.minSimilarity ?? 0.1;
  const index = ctfidfIndex(terms, topicIds);
  const analyzer = { ...terms.analyzer, cleaning: 'none' as const };
  const k = topicIds.length;
  const out = new Float64Array(docs.length * k);
  const row = new Float64Array(k);
  // a batch of documents at a time: one count over the vocabulary for all their token sets
  for (let from = 0; from < docs.length; from += BATCH) {
    const batch = docs.slice(from, from + BATCH).map((text) => tokenSets(text, window, stride));
    const vecs = transformCtfidf(countOverVocabulary(batch.flat(), terms.vocabulary, analyzer), terms.idf, terms.ctfidf);
    let r = 0;
    batch.forEach((sets, b) => {
      const o = (from + b) * k;
      for (const end = r + sets.length; r < end; r++) {
        const a = vecs.indptr[r]!;
        index.cosine(vecs.indices.subarray(a, vecs.indptr[r + 1]!), vecs.data.subarray(a, vecs.indptr[r + 1]!), row);
        for (let t = 0; t < k; t++) if (row[t]! >= minSim) out[o + t]! += row[t]!;
      }
      let total = 0;
      for (let t = 0; t < k; t++) total += Math.abs(out[o + t]!);
      if (total > 0) for (let t = 0; t < k; t++) out[o + t]! /= total;
    });
    onProgress?.(Math.min(docs.length, from + BATCH), docs.length);
  }
  return out;
}
