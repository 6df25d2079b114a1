/**
 * The representation stage: c-TF-IDF words per topic (BERTopic's ClassTfidfTransformer over one
 * joined document per topic), representative documents and labels.
 */
import type { Config } from '../config/schema.js';
import type { Doc, Embedder, Matrix } from '../core/types.js';
import type { Topic } from '../model/topic.js';
import { computeTopicTerms, representativeDocsByCtfidf, topicLabel, type TopicTerms } from '../represent/index.js';
import type { CountVectorizerOptions, WordScore } from '../represent/index.js';
import { keybertWords } from '../represent/keybertInspired.js';
import { mmrTopics } from '../represent/mmr.js';
import { WordVectors } from '../represent/wordVectors.js';
import { SEED_WORD_MULTIPLIER } from '../toolbox/guided.js';

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
    ctfidf: { bm25Weighting: config.ctfidf.bm25Weighting, reduceFrequentWords: config.ctfidf.reduceFrequentWords, ...seedWords(config) },
    topNWords: Math.max(WORDS_KEPT, config.ctfidf.topNWords),
    ...(extra.prior ? { prior: extra.prior, decay: extra.decay ?? 0 } : {}),
  });
}

/** Guided topics' seed words get BERTopic's 1.2 x idf (_extract_words_per_topic); none without seed topics. */
function seedWords(config: Config): { seedWords?: string[]; seedMultiplier?: number } {
  const seeds = config.topics.seedTopics.flat();
  return seeds.length > 0 ? { seedWords: seeds, seedMultiplier: SEED_WORD_MULTIPLIER } : {};
}

export function describeTopics(docs: readonly Doc[], labels: Int32Array, config: Config): Topic[] {
  return topicsOf(docs, labels, config, topicTerms(docs.map((d) => d.text), labels, config), null);
}

function topicsOf(docs: readonly Doc[], labels: Int32Array, config: Config, tt: TopicTerms, words: Map<number, WordScore[]> | null): Topic[] {
  const texts = docs.map((d) => d.text);
  const reps = representativeDocsByCtfidf(tt, texts, labels, { nrDocs: 3, seed: config.seed });
  return tt.topics.map((t) => {
    const idx = reps.get(t.id) ?? [];
    const w = words?.get(t.id) ?? t.words;
    return {
      id: t.id,
      size: t.size,
      words: w,
      label: topicLabel(t.id, w),
      representativeDocIds: idx.map((i) => docs[i]!.id),
      representativeDocs: idx.map((i) => docs[i]!.text.slice(0, 1000)),
    };
  });
}

/**
 * The topic words by `config.representation` (c-TF-IDF, MMR or KeyBERT-inspired), every topic's
 * (-1 included), or null for c-TF-IDF. `vectors` embeds the candidate words (cached per run).
 */
export async function representationWords(
  tt: TopicTerms,
  texts: readonly string[],
  labels: ArrayLike<number>,
  embeddings: Matrix,
  config: Config,
  vectors: WordVectors,
): Promise<Map<number, WordScore[]> | null> {
  const r = config.representation;
  const topN = config.ctfidf.topNWords;
  if (r.method === 'keybert') {
    const o = { topNWords: topN, nrReprDocs: r.nrReprDocs, nrSamples: r.nrSamples, nrCandidateWords: r.nrCandidateWords, seed: config.seed };
    return keybertWords(tt, texts, labels, embeddings, vectors, o);
  }
  if (r.method !== 'mmr') return null;
  return mmrTopics(new Map(tt.topics.map((t) => [t.id, t.words])), vectors, r.diversity, topN);
}

/**
 * describeTopics with the configured representation. `wordEmbedder` embeds the candidate words:
 * called only when the representation needs it (so a refit on stored embeddings starts no model
 * for c-TF-IDF words).
 */
export async function describeTopicsWith(
  docs: readonly Doc[],
  labels: Int32Array,
  embeddings: Matrix,
  config: Config,
  wordEmbedder: () => Promise<Pick<Embedder, 'embed'>>,
): Promise<Topic[]> {
  return (await describeTopicsAndTerms(docs, labels, embeddings, config, wordEmbedder)).topics;
}

/** describeTopicsWith, and the c-TF-IDF it described from (topics.json's hierarchy is built on it). */
export async function describeTopicsAndTerms(
  docs: readonly Doc[],
  labels: Int32Array,
  embeddings: Matrix,
  config: Config,
  wordEmbedder: () => Promise<Pick<Embedder, 'embed'>>,
): Promise<{ topics: Topic[]; terms: TopicTerms }> {
  const tt = topicTerms(docs.map((d) => d.text), labels, config);
  if (config.representation.method === 'ctfidf') return { topics: topicsOf(docs, labels, config, tt, null), terms: tt };
  const vectors = new WordVectors(await wordEmbedder());
  const words = await representationWords(tt, docs.map((d) => d.text), labels, embeddings, config, vectors);
  return { topics: topicsOf(docs, labels, config, tt, words), terms: tt };
}
