/**
 * KeyBERT-inspired topic words, as BERTopic 0.17.4's KeyBERTInspired(top_n_words, nr_repr_docs,
 * nr_samples, nr_candidate_words): the topic's vector is the mean embedding of its nrReprDocs
 * representative documents (by c-TF-IDF similarity among up to nrSamples of its documents); its
 * nrCandidateWords best c-TF-IDF words are embedded; the topNWords most cosine-similar to the
 * topic's vector are its words, best first, scored by that similarity.
 *
 * The representative documents are the fit's own embeddings (BERTopic embeds their texts again,
 * which gives the same vectors). Candidates are drawn without replacement (BERTopic: 500 with
 * replacement, then duplicates dropped), so for topics of at most nrSamples documents every
 * document is a candidate in both.
 */
import type { Matrix } from '../core/types.js';
import { representativeDocsByCtfidf } from './representativeDocs.js';
import type { TopicTerms } from './topicTerms.js';
import { topWordsOfRow, type WordScore } from './topWords.js';
import { cosine, type WordVectors } from './wordVectors.js';

export interface KeyBertOptions {
  topNWords: number;
  nrReprDocs: number;
  nrSamples: number;
  nrCandidateWords: number;
  seed: number;
  /** candidate words by topic id instead of the c-TF-IDF ones (tests: BERTopic's candidates) */
  candidates?: ReadonlyMap<number, readonly string[]>;
}

/** Topic id -> words, for every topic of `terms` (the outlier topic -1 too, as BERTopic). */
export async function keybertWords(
  terms: TopicTerms,
  texts: readonly string[],
  labels: ArrayLike<number>,
  embeddings: Matrix,
  vectors: WordVectors,
  o: KeyBertOptions,
): Promise<Map<number, WordScore[]>> {
  const reps = representativeDocsByCtfidf(terms, texts, labels, { nrDocs: o.nrReprDocs, nrSamples: o.nrSamples, seed: o.seed, cleanDocs: false });
  const candidates = Array.from(terms.topicIds, (id, r) => o.candidates?.get(id) ?? topWordsOfRow(terms.scores, terms.vocabulary, r, o.nrCandidateWords).map((w) => w.word));
  await vectors.get([...new Set(candidates.flat())]); // one batch for all topics
  const out = new Map<number, WordScore[]>();
  for (let r = 0; r < terms.topicIds.length; r++) {
    const id = terms.topicIds[r]!;
    out.set(id, await keybertTopicWords(candidates[r]!, meanRow(embeddings, reps.get(id) ?? []), vectors, o.topNWords));
  }
  return out;
}

/** One topic: its candidates by cosine similarity to the topic's vector, best first (ties: candidate order). */
export async function keybertTopicWords(candidates: readonly string[], topic: ArrayLike<number>, vectors: WordVectors, topN: number): Promise<WordScore[]> {
  const vecs = await vectors.get(candidates);
  const scored = candidates.map((word, i) => ({ word, score: cosine(vecs[i]!, topic) }));
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, topN);
}

/** The mean of some rows of a matrix (a topic's representative documents). */
export function meanRow(m: Matrix, rows: readonly number[]): Float64Array {
  const out = new Float64Array(m.cols);
  for (const r of rows) for (let j = 0; j < m.cols; j++) out[j] = out[j]! + m.data[r * m.cols + j]!;
  for (let j = 0; j < m.cols; j++) out[j] = out[j]! / Math.max(1, rows.length);
  return out;
}
