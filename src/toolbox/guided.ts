/**
 * Guided topics (BERTopic 0.17.4's seed_topic_list: _guided_topic_modeling). Each seed topic's words
 * are joined by spaces and embedded with the documents' model; the documents' mean embedding is a
 * last "topic". A document most similar (cosine) to a seed topic rather than to the mean is nudged:
 * embedding * 0.75 + seed topic embedding * 0.25. The nudged embeddings are clustered and used
 * after it (topic vectors, outlier reduction, KeyBERT). The c-TF-IDF side (seed words' idf times
 * 1.2) is in src/pipeline/describeTopics.ts (topicTerms).
 * BERTopic also passes the seed labels to UMAP as y (semi-supervised UMAP); ours does not.
 */
import type { Matrix } from '../core/types.js';
import { bestCosine } from './zeroShot.js';

/** BERTopic's weights: the document's embedding and its seed topic's. */
const GUIDED_DOC_WEIGHT = 0.75;
const GUIDED_SEED_WEIGHT = 0.25;
/** BERTopic's idf multiplier for seed words (_extract_words_per_topic). */
export const SEED_WORD_MULTIPLIER = 1.2;

/** The strings BERTopic embeds for the seed topics. */
export function seedTopicStrings(seeds: readonly (readonly string[])[]): string[] {
  return seeds.map((s) => s.join(' '));
}

/**
 * y: the seed topic of each document (-1 when the mean is closer), embeddings: nudged (a copy;
 * the mean is of the embeddings before nudging).
 */
export function guideEmbeddings(embeddings: Matrix, seedEmbeddings: Matrix): { y: Int32Array; embeddings: Matrix } {
  const { rows, cols } = embeddings;
  const k = seedEmbeddings.rows;
  const targets = new Float32Array((k + 1) * cols);
  targets.set(seedEmbeddings.data.subarray(0, k * cols));
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += embeddings.data[r * cols + c]!;
  for (let c = 0; c < cols; c++) targets[k * cols + c] = mean[c]! / rows;
  const best = bestCosine(embeddings, { rows: k + 1, cols, data: targets });
  const y = new Int32Array(rows);
  const data = Float32Array.from(embeddings.data);
  for (let r = 0; r < rows; r++) {
    y[r] = best.index[r]! === k ? -1 : best.index[r]!;
    if (y[r]! < 0) continue;
    for (let c = 0; c < cols; c++) data[r * cols + c] = embeddings.data[r * cols + c]! * GUIDED_DOC_WEIGHT + targets[y[r]! * cols + c]! * GUIDED_SEED_WEIGHT;
  }
  return { y, embeddings: { rows, cols, data } };
}
