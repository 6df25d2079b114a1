/**
 * NPMI topic coherence over the corpus's documents (document co-occurrence; OCTIS/gensim "c_npmi"
 * but with boolean *document* windows instead of gensim's 10-token sliding windows):
 *
 *   N            = number of documents (each document = its set of terms)
 *   P(w)         = (documents containing w) / N
 *   P(wi, wj)    = (documents containing both) / N
 *   NPMI(wi, wj) = log(P(wi, wj) / (P(wi) P(wj))) / −log(P(wi, wj))       (natural log)
 *                = −1 when wi and wj never co-occur (also when either never occurs),
 *                = +1 when P(wi, wj) = 1 (both in every document; the limit of the formula).
 *   topic NPMI   = mean of NPMI over the unordered pairs of its first topN (10) words
 *                  (gensim averages ordered pairs; NPMI is symmetric, so the mean is the same);
 *   model NPMI   = mean over the topics, leaving out the outlier topic −1 and topics with
 *                  fewer than two words.
 *
 * The documents must be tokenised the way the topic words were made (same analyzer, e.g.
 * createAnalyzer({ cleaning: 'bertopic-english' })), or words will not be found.
 * Co-occurrence is counted with one bitset over the documents per distinct topic word
 * (words × N / 8 bytes: 5,000 words × 20k documents = 12.5 MB).
 */
import { firstWords, OUTLIER_TOPIC, type TopicWordList } from './topicWordsInput.js';

export interface NpmiResult {
  /** Mean over the scored topics (NaN when there is none). */
  mean: number;
  /** Every topic given, in input order; npmi is NaN for −1 and for topics with < 2 words. */
  perTopic: { id: number; npmi: number }[];
}

export function npmiCoherence(
  topics: readonly TopicWordList[],
  docs: Iterable<readonly string[]>,
  options: { topN?: number } = {},
): NpmiResult {
  const topN = options.topN ?? 10;
  const scored = topics.map((t) => (t.id === OUTLIER_TOPIC ? [] : firstWords(t, topN)));
  const wordId = new Map<string, number>();
  for (const ws of scored) for (const w of ws) if (!wordId.has(w)) wordId.set(w, wordId.size);
  const sets = documentBitsets(docs, wordId);

  const perTopic: { id: number; npmi: number }[] = [];
  let sum = 0;
  let count = 0;
  for (let t = 0; t < topics.length; t++) {
    const ids = scored[t]!.map((w) => wordId.get(w)!);
    if (ids.length < 2) {
      perTopic.push({ id: topics[t]!.id, npmi: NaN });
      continue;
    }
    const v = topicNpmi(ids, sets);
    perTopic.push({ id: topics[t]!.id, npmi: v });
    sum += v;
    count++;
  }
  return { mean: count > 0 ? sum / count : NaN, perTopic };
}

/** Per word, the bitset of the documents that contain it, and its document frequency. */
interface WordBitsets {
  /** word w's bitset is bits[w * stride .. w * stride + blocks) */
  bits: Uint32Array;
  stride: number;
  /** 32-document blocks in use */
  blocks: number;
  /** documents read */
  n: number;
  df: Float64Array;
}

/** One pass over the documents (docs may be a one-pass iterable): the bitsets grow as they come. */
function documentBitsets(docs: Iterable<readonly string[]>, wordId: ReadonlyMap<string, number>): WordBitsets {
  const nWords = wordId.size;
  let capWords32 = 1024; // capacity in 32-document blocks
  let bits = new Uint32Array(nWords * capWords32);
  let n = 0;
  for (const doc of docs) {
    const block = n >>> 5;
    if (block >= capWords32) {
      const next = new Uint32Array(nWords * capWords32 * 2);
      for (let w = 0; w < nWords; w++) next.set(bits.subarray(w * capWords32, (w + 1) * capWords32), w * capWords32 * 2);
      capWords32 *= 2;
      bits = next;
    }
    const bit = 1 << (n & 31);
    for (const term of doc) {
      const w = wordId.get(term);
      if (w !== undefined) bits[w * capWords32 + block]! |= bit;
    }
    n++;
  }
  const blocks = (n + 31) >>> 5;
  const df = new Float64Array(nWords);
  for (let w = 0; w < nWords; w++) {
    let c = 0;
    for (let b = 0; b < blocks; b++) c += popcount(bits[w * capWords32 + b]!);
    df[w] = c;
  }
  return { bits, stride: capWords32, blocks, n, df };
}

/** Mean NPMI over the unordered pairs of a topic's words (word ids, at least two). */
function topicNpmi(ids: readonly number[], { bits, stride, blocks, n, df }: WordBitsets): number {
  let s = 0;
  let pairs = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]! * stride;
      const b = ids[j]! * stride;
      let both = 0;
      for (let k = 0; k < blocks; k++) both += popcount(bits[a + k]! & bits[b + k]!);
      s += npmiOfCounts(df[ids[i]!]!, df[ids[j]!]!, both, n);
      pairs++;
    }
  }
  return s / pairs;
}

/** NPMI of two words from their document counts (see the definition above). */
export function npmiOfCounts(dfI: number, dfJ: number, dfIJ: number, n: number): number {
  if (dfIJ === 0) return -1;
  if (dfIJ === n) return 1;
  const pij = dfIJ / n;
  return Math.log(pij / ((dfI / n) * (dfJ / n))) / -Math.log(pij);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
