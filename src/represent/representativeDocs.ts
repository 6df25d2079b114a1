/**
 * Representative documents per topic.
 *
 * byCtfidf follows BERTopic's _extract_representative_docs: take up to nrSamples documents of the
 * topic, give each its own c-TF-IDF vector (the topic vectorizer's counts over the topic
 * vocabulary, L1 / sqrt as configured, times the topic idf), and keep the nrDocs with the highest
 * cosine similarity to the topic's c-TF-IDF row. Differences, on purpose:
 *   - the sample is drawn without replacement with a seeded generator (BERTopic samples 500 with
 *     replacement through pandas, random_state=42, then drops duplicates), so for topics of at
 *     most nrSamples documents every document is a candidate, exactly as in BERTopic;
 *   - documents are cleaned like the topic text was (BERTopic vectorises the raw document, so its
 *     "don't" never meets the vocabulary's "dont"); `cleanDocs: false` does as BERTopic;
 *   - results are ordered best first (ties: lower document index first) and never repeat a doc.
 *
 * byCentroid is the cheap alternative when embeddings are at hand: the documents closest (cosine)
 * to the mean of the topic's embeddings.
 */
import type { Matrix } from '../core/types.js';
import { countOverVocabulary } from './countVectorizer.js';
import type { CsrMatrix } from './csr.js';
import { transformCtfidf } from './ctfidf.js';
import { groupByTopic, type TopicTerms, topicRowOf } from './topicTerms.js';
import { mulberry32 } from '../core/random.js';

export interface RepresentativeDocsOptions {
  /** Documents per topic, default 3 (BERTopic's representative_docs_). */
  nrDocs?: number;
  /** Candidates per topic, default 500 (BERTopic). */
  nrSamples?: number;
  /** Seed of the candidate sample, default 42. */
  seed?: number;
  /** Clean each document as the topic texts were (default true); false = BERTopic's behaviour. */
  cleanDocs?: boolean;
}

/** Topic id -> indices into docs, best first. */
export type RepresentativeDocs = Map<number, number[]>;

export function representativeDocsByCtfidf(
  terms: TopicTerms,
  docs: readonly string[],
  labels: ArrayLike<number>,
  options: RepresentativeDocsOptions = {},
): RepresentativeDocs {
  const nrDocs = options.nrDocs ?? 3;
  const { topicIds, members } = groupByTopic(labels);
  const { candTopic, candDoc } = sampleCandidates(members, options.nrSamples ?? 500, mulberry32(options.seed ?? 42));
  // Candidates of every topic, counted in one pass (one vocabulary map for all).
  const counts = countOverVocabulary(
    candDoc.map((i) => docs[i]!),
    terms.vocabulary,
    options.cleanDocs === false ? { ...terms.analyzer, cleaning: 'none' } : terms.analyzer,
  );
  const vecs = transformCtfidf(counts, terms.idf, terms.ctfidf);

  const out: RepresentativeDocs = new Map();
  const topicVec = new Float64Array(terms.vocabulary.length);
  let c = 0;
  for (let t = 0; t < topicIds.length; t++) {
    const id = topicIds[t]!;
    let end = c;
    while (end < candTopic.length && candTopic[end] === t) end++;
    const sims = rankByCosine(terms.scores, topicRowOf(terms, id), vecs, candDoc, c, end, topicVec);
    c = end;
    out.set(
      id,
      sims.slice(0, nrDocs).map((e) => e.doc),
    );
  }
  return out;
}

/** Up to nrSamples documents of every topic, in topic order: topic t's are where candTopic is t. */
function sampleCandidates(members: readonly number[][], nrSamples: number, rand: () => number): { candTopic: number[]; candDoc: number[] } {
  const candTopic: number[] = [];
  const candDoc: number[] = [];
  for (let t = 0; t < members.length; t++) {
    for (const i of sampleWithoutReplacement(members[t]!, nrSamples, rand)) {
      candTopic.push(t);
      candDoc.push(i);
    }
  }
  return { candTopic, candDoc };
}

/**
 * The candidates [from, to) of one topic (rows of vecs, documents candDoc), best first by cosine
 * similarity to row `row` of scores (-1: no row, every similarity 0). topicVec is all zeros scratch
 * of the vocabulary's length, and is left so.
 */
function rankByCosine(
  scores: CsrMatrix,
  row: number,
  vecs: CsrMatrix,
  candDoc: readonly number[],
  from: number,
  to: number,
  topicVec: Float64Array,
): { doc: number; sim: number }[] {
  let topicNorm = 0;
  if (row >= 0) {
    for (let p = scores.indptr[row]!; p < scores.indptr[row + 1]!; p++) {
      topicVec[scores.indices[p]!] = scores.data[p]!;
      topicNorm += scores.data[p]! * scores.data[p]!;
    }
  }
  topicNorm = Math.sqrt(topicNorm);
  const sims: { doc: number; sim: number }[] = [];
  for (let c = from; c < to; c++) {
    let dot = 0;
    let norm = 0;
    for (let p = vecs.indptr[c]!; p < vecs.indptr[c + 1]!; p++) {
      const x = vecs.data[p]!;
      dot += x * topicVec[vecs.indices[p]!]!;
      norm += x * x;
    }
    // sklearn's cosine_similarity gives 0 for a zero vector.
    const sim = norm > 0 && topicNorm > 0 ? dot / (Math.sqrt(norm) * topicNorm) : 0;
    sims.push({ doc: candDoc[c]!, sim });
  }
  if (row >= 0) for (let p = scores.indptr[row]!; p < scores.indptr[row + 1]!; p++) topicVec[scores.indices[p]!] = 0;
  return sims.sort((a, b) => b.sim - a.sim || a.doc - b.doc);
}

export function representativeDocsByCentroid(
  embeddings: Matrix,
  labels: ArrayLike<number>,
  options: Pick<RepresentativeDocsOptions, 'nrDocs'> = {},
): RepresentativeDocs {
  if (embeddings.rows !== labels.length) {
    throw new Error(`embeddings have ${embeddings.rows} rows, labels ${labels.length}`);
  }
  const nrDocs = options.nrDocs ?? 3;
  const d = embeddings.cols;
  const x = embeddings.data;
  const { topicIds, members } = groupByTopic(labels);
  const centroid = new Float64Array(d);
  const out: RepresentativeDocs = new Map();
  for (let t = 0; t < topicIds.length; t++) {
    centroid.fill(0);
    for (const i of members[t]!) for (let j = 0; j < d; j++) centroid[j]! += x[i * d + j]!;
    let cn = 0;
    for (let j = 0; j < d; j++) cn += centroid[j]! * centroid[j]!;
    cn = Math.sqrt(cn);
    const sims = members[t]!.map((i) => {
      let dot = 0;
      let n = 0;
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j]!;
        dot += v * centroid[j]!;
        n += v * v;
      }
      return { doc: i, sim: n > 0 && cn > 0 ? dot / (Math.sqrt(n) * cn) : 0 };
    });
    sims.sort((a, b) => b.sim - a.sim || a.doc - b.doc);
    out.set(
      topicIds[t]!,
      sims.slice(0, nrDocs).map((e) => e.doc),
    );
  }
  return out;
}

/** Up to k items of arr (all of them, in order, when arr has at most k), chosen uniformly. */
function sampleWithoutReplacement(arr: readonly number[], k: number, rand: () => number): number[] {
  if (arr.length <= k) return arr.slice();
  const a = arr.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    const tmp = a[i]!;
    a[i] = a[j]!;
    a[j] = tmp;
  }
  return a.slice(0, k).sort((p, q) => p - q);
}
