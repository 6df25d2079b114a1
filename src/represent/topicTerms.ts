/**
 * Topic words for a window of documents, as BERTopic computes them (_extract_topics -> _c_tf_idf ->
 * _extract_words_per_topic), with an optional decayed prior for streaming:
 *
 * 1. one "document" per topic: all documents with that label joined by a space, topics in
 *    ascending id order, the outlier topic -1 included (BERTopic groups by Topic and keeps -1);
 * 2. BERTopic's text cleaning of that joined text (default 'bertopic-english'), "emptydoc" if the
 *    cleaned text is empty;
 * 3. a CountVectorizer fitted on those per-topic documents, so minDf/maxDf count *topics*, not
 *    documents (as in BERTopic);
 * 4. streaming: counts[topic][word] = window counts + decay × prior counts of the same topic id
 *    and word (prior topics that have no document in this window are dropped; decayed counts
 *    below priorMinCount are dropped so old words fade out for good). The prior enters before
 *    pruning and before the idf, so it behaves exactly like extra (fractional) text in the topic;
 * 5. c-TF-IDF (ctfidf.ts) and the top words (score > 0) per topic.
 *
 * Without a prior the scores equal BERTopic's c_tf_idf_ and the words its topic_representations_.
 */
import { resolveAnalyzerOptions, type ResolvedAnalyzerOptions, TermStream } from './analyzer.js';
import type { CountVectorizerOptions } from './countVectorizer.js';
import type { CsrMatrix } from './csr.js';
import { type CtfidfOptions, fitCtfidfIdf, transformCtfidf } from './ctfidf.js';
import { TermCounter } from './termCounter.js';
import { cleanTextForTokens } from './textCleaning.js';
import { topWordsPerRow, type WordScore } from './topWords.js';
import { finalizeVocabulary } from './vocabulary.js';

/** Counts per topic id and word: the form a prior is passed in and carried out. */
export interface TopicTermCounts {
  /** Row r belongs to topic topicIds[r] (ascending). */
  readonly topicIds: Int32Array;
  /** Column c is the word vocabulary[c] (sorted). */
  readonly vocabulary: readonly string[];
  /** topics × vocabulary counts (fractional once decayed). */
  readonly counts: CsrMatrix;
}

export interface TopicWords {
  id: number;
  /** Documents of this window in the topic. */
  size: number;
  /** Best first, score > 0, at most topNWords. */
  words: WordScore[];
}

export interface TopicTerms extends TopicTermCounts {
  /** Documents per row in this window. */
  readonly sizes: Int32Array;
  /** c-TF-IDF idf per vocabulary word. */
  readonly idf: Float64Array;
  /** topics × vocabulary c-TF-IDF scores (same sparsity as counts). */
  readonly scores: CsrMatrix;
  /** One per row, same order as topicIds. */
  readonly topics: TopicWords[];
  /**
   * Window + decayed prior counts before minDf/maxDf/maxFeatures pruning: pass this as the next
   * call's `prior`. Same object as this result's counts part when nothing was pruned.
   */
  readonly carryOver: TopicTermCounts;
  /** The resolved analyzer and c-TF-IDF options, for representative documents and transforms. */
  readonly analyzer: ResolvedAnalyzerOptions;
  readonly ctfidf: CtfidfOptions;
}

export interface ComputeTopicTermsInput {
  docs: readonly string[];
  /** Topic per document (-1 = outlier), same length as docs. */
  labels: ArrayLike<number>;
  /** CountVectorizer options; `cleaning` defaults to 'bertopic-english' here (BERTopic's default). */
  vectorizer?: CountVectorizerOptions;
  ctfidf?: CtfidfOptions;
  /** Words kept per topic (BERTopic top_n_words), default 10. */
  topNWords?: number;
  /** Counts carried over from the previous window (a previous result's carryOver). */
  prior?: TopicTermCounts | null;
  /** Multiplier for the prior counts, in [0, 1]; required with a prior. */
  decay?: number;
  /** Decayed prior counts below this are dropped; default 0.01. */
  priorMinCount?: number;
}

const EMPTY_DOC = 'emptydoc';

export function computeTopicTerms(input: ComputeTopicTermsInput): TopicTerms {
  const { docs, labels } = input;
  if (labels.length !== docs.length) {
    throw new Error(`labels has ${labels.length} entries, docs ${docs.length}`);
  }
  const analyzer = resolveAnalyzerOptions({
    ...input.vectorizer,
    cleaning: input.vectorizer?.cleaning ?? 'bertopic-english',
  });
  const ctfidf = input.ctfidf ?? {};
  const topN = input.topNWords ?? 10;
  const prior = input.prior ?? null;
  const decay = input.decay;
  const priorMinCount = input.priorMinCount ?? 0.01;
  if (prior !== null && !(decay !== undefined && decay >= 0 && decay <= 1)) {
    throw new Error(`a prior needs decay in [0, 1], got ${decay}`);
  }

  const { topicIds, members } = groupByTopic(labels);
  const counter = new TermCounter();
  const decayed = prior === null ? null : { counts: prior, decay: decay!, minCount: priorMinCount };
  const sizes = countTermsPerTopic(counter, docs, topicIds, members, analyzer, decayed);

  const ids = Int32Array.from(topicIds);
  const raw = counter.toCsr();
  const all = finalizeVocabulary(raw, counter.terms, {}, { allowEmpty: true, termIds: counter.termIds });
  const carryOver: TopicTermCounts = { topicIds: ids, vocabulary: all.terms, counts: all.matrix };
  const v = input.vectorizer ?? {};
  const prunes = v.minDf !== undefined || v.maxDf !== undefined || (v.maxFeatures ?? null) !== null;
  const pruned = prunes ? finalizeVocabulary(all.matrix, all.terms, v, { allowEmpty: true, sorted: true }) : all;

  const idf = fitCtfidfIdf(pruned.matrix, ctfidf, pruned.terms);
  const scores = transformCtfidf(pruned.matrix, idf, ctfidf);
  const words = topWordsPerRow(scores, pruned.terms, topN);
  const topics: TopicWords[] = words.map((w, r) => ({ id: ids[r]!, size: sizes[r]!, words: w }));
  return {
    topicIds: ids,
    vocabulary: pruned.terms,
    counts: pruned.matrix,
    sizes,
    idf,
    scores,
    topics,
    carryOver,
    analyzer,
    ctfidf,
  };
}

/** A prior and how it enters: decay × its counts, those below minCount left out. */
interface DecayedPrior {
  counts: TopicTermCounts;
  decay: number;
  minCount: number;
}

/**
 * One row of counter per topic (topicIds[t], documents members[t]): the words of its documents, as
 * if joined into one text, then the decayed prior counts of the same topic id. Returns the
 * documents per topic.
 */
function countTermsPerTopic(
  counter: TermCounter,
  docs: readonly string[],
  topicIds: readonly number[],
  members: readonly number[][],
  analyzer: ResolvedAnalyzerOptions,
  prior: DecayedPrior | null,
): Int32Array {
  const priorRow = new Map<number, number>();
  if (prior !== null) prior.counts.topicIds.forEach((id, r) => priorRow.set(id, r));
  const stream = new TermStream(analyzer);
  const bertopicCleaning = analyzer.cleaning !== 'none';
  const sizes = new Int32Array(topicIds.length);
  for (let t = 0; t < topicIds.length; t++) {
    const docIdx = members[t]!;
    sizes[t] = docIdx.length;
    counter.beginRow();
    stream.beginDocument();
    if (bertopicCleaning && docIdx.length === 1 && cleanTextForTokens(docs[docIdx[0]!]!, analyzer.cleaning) === '') {
      counter.add(EMPTY_DOC); // BERTopic: `doc if doc != "" else "emptydoc"` on the joined text
    } else {
      for (const i of docIdx) stream.addText(docs[i]!, counter.add);
    }
    const pr = priorRow.get(topicIds[t]!); // none without a prior
    if (prior !== null && pr !== undefined) addPriorRow(counter, prior, pr);
    counter.endRow();
  }
  return sizes;
}

/** Adds row `row` of the prior, decayed, to the counter's current row. */
function addPriorRow(counter: TermCounter, { counts, decay, minCount }: DecayedPrior, row: number): void {
  const m = counts.counts;
  for (let p = m.indptr[row]!; p < m.indptr[row + 1]!; p++) {
    const w = decay * m.data[p]!;
    if (w >= minCount && w > 0) counter.addWeighted(counts.vocabulary[m.indices[p]!]!, w);
  }
}

/** Row of a topic id in a TopicTermCounts, or -1. */
export function topicRowOf(t: TopicTermCounts, topicId: number): number {
  // topicIds are ascending: binary search.
  let lo = 0;
  let hi = t.topicIds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = t.topicIds[mid]!;
    if (v === topicId) return mid;
    if (v < topicId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Distinct labels ascending, and the document indices of each (in document order). */
export function groupByTopic(labels: ArrayLike<number>): { topicIds: number[]; members: number[][] } {
  const byId = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l)) throw new Error(`label ${i} is not an integer: ${l}`);
    let m = byId.get(l);
    if (m === undefined) byId.set(l, (m = []));
    m.push(i);
  }
  const topicIds = [...byId.keys()].sort((a, b) => a - b);
  return { topicIds, members: topicIds.map((id) => byId.get(id)!) };
}
