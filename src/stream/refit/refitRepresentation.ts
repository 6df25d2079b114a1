/**
 * The service's topic words by `representation.method` (MMR or KeyBERT-inspired), per refit: the
 * refit worker's describe job returns the c-TF-IDF words (and, for KeyBERT, its candidates and
 * representative documents); here, on the main thread, the candidate words are embedded by the
 * service's embedder (its worker pool, at low priority behind ingestion), cached across refits,
 * and the words replaced, -1 included, before the refit is planned.
 */
import type { Config } from '../../config/schema.js';
import type { Embedder } from '../../core/types.js';
import { keybertTopicWords, meanRow } from '../../represent/keybertInspired.js';
import { mmrTopics } from '../../represent/mmr.js';
import { WordVectors } from '../../represent/wordVectors.js';
import type { DescribeJobResult } from './types.js';

const caches = new WeakMap<object, WordVectors>();

/** The word vectors of an embedder, one cache per embedder (so across the service's refits). */
export function wordVectorsOf(embedder: Pick<Embedder, 'embed'>): WordVectors {
  let v = caches.get(embedder);
  if (!v) {
    v = new WordVectors({ embed: (texts) => embedder.embed(texts, undefined, 'low') });
    caches.set(embedder, v);
  }
  return v;
}

/**
 * `described` with its words replaced by the configured representation; as it is for c-TF-IDF.
 * `embeddings`: the window's vectors (rows as the describe job's texts), for KeyBERT's topic vectors.
 */
export async function representRefit(
  config: Config,
  described: DescribeJobResult,
  window: { embeddings: Float32Array; dim: number },
  vectors: WordVectors,
): Promise<DescribeJobResult> {
  const r = config.representation;
  const topN = config.ctfidf.topNWords;
  const words: DescribeJobResult['words'] = {};
  if (r.method === 'mmr') {
    for (const [id, w] of await mmrTopics(new Map(Object.entries(described.words)), vectors, r.diversity, topN)) words[id] = w;
  } else if (r.method === 'keybert' && described.keybert) {
    const { candidates, reprDocs } = described.keybert;
    await vectors.get([...new Set(Object.values(candidates).flat())]);
    const m = { rows: window.embeddings.length / window.dim, cols: window.dim, data: window.embeddings };
    for (const id of Object.keys(described.words)) words[id] = await keybertTopicWords(candidates[id] ?? [], meanRow(m, reprDocs[id] ?? []), vectors, topN);
  } else {
    return described;
  }
  return { ...described, words };
}
