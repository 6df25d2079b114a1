/**
 * The representation stage: c-TF-IDF words per topic (BERTopic's ClassTfidfTransformer over one
 * joined document per topic), representative documents and labels.
 */
import type { Config } from '../config/schema.js';
import type { Doc } from '../core/types.js';
import type { Topic } from '../model/topic.js';
import { computeTopicTerms, representativeDocsByCtfidf, topicLabel, type TopicTerms } from '../represent/index.js';
import type { CountVectorizerOptions } from '../represent/index.js';

/** Words kept per topic beyond top_n_words, so topic diversity (top 25) can be scored later. */
export const WORDS_KEPT = 30;

/**
 * The config's min_df/max_df follow scikit-learn: an integer >= 1 is a count, a number below 1 a
 * fraction; max_df 1.0 means "no upper limit" (a JSON 1.0 arrives as the integer 1, so say so explicitly).
 */
export function vectorizerOptions(v: Config['vectorizer']): CountVectorizerOptions {
  const bound = (x: number) => (Number.isInteger(x) && x >= 1 ? { count: x } : { fraction: x });
  return {
    lowercase: v.lowercase,
    stopWords: v.stopWords,
    minDf: bound(v.minDf),
    maxDf: v.maxDf === 1 ? { fraction: 1 } : bound(v.maxDf),
    ngramRange: v.ngramRange,
    dropUrls: v.dropUrls,
    dropHandles: v.dropHandles,
    dropHtmlEntities: v.dropHtmlEntities,
    dropNumbers: v.dropNumbers,
    minTokenChars: v.minTokenChars,
  };
}

/** The vectorizer of the service's refits: `vectorizer` with what `stream.vectorizer` sets replaced. */
export function serviceVectorizer(config: Config): Config['vectorizer'] {
  const set = Object.entries(config.stream.vectorizer).filter(([, x]) => x !== undefined);
  return { ...config.vectorizer, ...(Object.fromEntries(set) as Partial<Config['vectorizer']>) };
}

/** extra.vectorizer: the settings to use instead of config.vectorizer (the service's: serviceVectorizer). */
export function topicTerms(
  texts: readonly string[],
  labels: ArrayLike<number>,
  config: Config,
  extra: { prior?: TopicTerms['carryOver'] | null; decay?: number; vectorizer?: Config['vectorizer'] } = {},
): TopicTerms {
  return computeTopicTerms({
    docs: texts,
    labels,
    vectorizer: vectorizerOptions(extra.vectorizer ?? config.vectorizer),
    ctfidf: { bm25Weighting: config.ctfidf.bm25Weighting, reduceFrequentWords: config.ctfidf.reduceFrequentWords },
    topNWords: Math.max(WORDS_KEPT, config.ctfidf.topNWords),
    ...(extra.prior ? { prior: extra.prior, decay: extra.decay ?? 0 } : {}),
  });
}

export function describeTopics(docs: readonly Doc[], labels: Int32Array, config: Config): Topic[] {
  const texts = docs.map((d) => d.text);
  const tt = topicTerms(texts, labels, config);
  const reps = representativeDocsByCtfidf(tt, texts, labels, { nrDocs: 3, seed: config.seed });
  return tt.topics.map((t) => {
    const idx = reps.get(t.id) ?? [];
    return {
      id: t.id,
      size: t.size,
      words: t.words,
      label: topicLabel(t.id, t.words),
      representativeDocIds: idx.map((i) => docs[i]!.id),
      representativeDocs: idx.map((i) => docs[i]!.text.slice(0, 1000)),
    };
  });
}
