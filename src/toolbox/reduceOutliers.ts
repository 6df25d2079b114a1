/**
 * Outlier reduction as BERTopic 0.17's reduce_outliers(docs, topics, strategy, threshold): each
 * outlier document (-1) goes to its most similar topic when that similarity reaches the threshold
 * (below it the similarity counts as 0; a document with no similarity left stays -1):
 *
 * - "c-tf-idf": the document's c-TF-IDF vector (the topic vectorizer's counts of the raw
 *   document, L1-normalised, times the topic idf) against the topics' c-TF-IDF rows;
 * - "embeddings": the document's embedding against the topic embeddings (mean embedding of each
 *   topic's documents);
 * - "distributions": approximate_distribution (topicDistributions.ts) with min_similarity =
 *   threshold; the topic with the largest share.
 *
 * Ties go to the lowest topic id (numpy's argmax). Topic ids do not change; the caller describes
 * the topics again (update_topics).
 */
import { rowsOf, type Matrix } from '../core/types.js';
import { countOverVocabulary } from '../represent/countVectorizer.js';
import { transformCtfidf } from '../represent/ctfidf.js';
import type { TopicTerms } from '../represent/topicTerms.js';
import { approximateDistribution, type DistributionOptions } from './topicDistributions.js';
import { ctfidfIndex, denseCosine, meanEmbeddings, topicIdsOf } from './topicVectors.js';

export type OutlierStrategy = 'c-tf-idf' | 'embeddings' | 'distributions';
export interface ReduceOutliersInput {
  texts: readonly string[];
  labels: Int32Array;
  strategy: OutlierStrategy;
  threshold: number;
  /** c-tf-idf and distributions: the c-TF-IDF of `labels` */
  terms?: TopicTerms;
  /** embeddings: one row per document */
  embeddings?: Matrix;
  distributions?: DistributionOptions;
  onProgress?: (done: number, total: number) => void;
}

export interface ReducedOutliers {
  labels: Int32Array;
  /** outliers given a topic */
  reassigned: number;
}

export function reduceOutliers(input: ReduceOutliersInput): ReducedOutliers {
  const { labels } = input;
  const outliers: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === -1) outliers.push(i);
  const ids = topicIdsOf(labels);
  const out = labels.slice();
  if (outliers.length === 0 || ids.length === 0) return { labels: out, reassigned: 0 };
  const sims = similarities(input, outliers, ids);
  let reassigned = 0;
  outliers.forEach((doc, o) => {
    const t = argmaxAbove(sims, o * ids.length, ids.length, input.strategy === 'distributions' ? 0 : input.threshold);
    if (t >= 0) {
      out[doc] = ids[t]!;
      reassigned++;
    }
  });
  return { labels: out, reassigned };
}

/** outliers x topics: the strategy's score of each outlier for each topic. */
function similarities(input: ReduceOutliersInput, outliers: readonly number[], ids: readonly number[]): Float64Array {
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`reduceOutliers "${input.strategy}" needs ${what}`);
    return v;
  };
  const docs = outliers.map((i) => input.texts[i]!);
  switch (input.strategy) {
    case 'c-tf-idf': {
      const terms = need(input.terms, 'the c-TF-IDF of the topics');
      // BERTopic's vectorizer_model.transform of the raw document: no _preprocess_text cleaning
      const counts = countOverVocabulary(docs, terms.vocabulary, { ...terms.analyzer, cleaning: 'none' });
      return ctfidfIndex(terms, ids).cosineRows(transformCtfidf(counts, terms.idf, terms.ctfidf));
    }
    case 'embeddings': {
      const e = need(input.embeddings, 'the embeddings');
      return denseCosine(rowsOf(e, outliers), meanEmbeddings(e, input.labels, ids));
    }
    case 'distributions': {
      const terms = need(input.terms, 'the c-TF-IDF of the topics');
      return approximateDistribution(docs, terms, ids, { ...input.distributions, minSimilarity: input.threshold }, input.onProgress);
    }
  }
}

/** The first index of the largest value of row [from, from + n) after values below threshold are zeroed; -1 when nothing is left above 0. */
function argmaxAbove(m: Float64Array, from: number, n: number, threshold: number): number {
  let best = -1;
  let bestV = -Infinity;
  let sum = 0;
  for (let t = 0; t < n; t++) {
    const v = m[from + t]! < threshold ? 0 : m[from + t]!;
    sum += v;
    if (v > bestV) {
      bestV = v;
      best = t;
    }
  }
  return sum > 0 ? best : -1;
}
