/**
 * Maximal Marginal Relevance over a topic's c-TF-IDF candidates, as BERTopic 0.17.4's
 * MaximalMarginalRelevance(diversity, top_n_words): the candidate words (BERTopic passes the top 30
 * by c-TF-IDF) and their joined string ("w1 w2 ...", the topic's vector) are embedded; the word most
 * similar to the topic first, then each next word maximises
 * (1 - diversity) * sim(word, topic) - diversity * max sim(word, chosen words). The chosen words
 * are returned in c-TF-IDF order with their c-TF-IDF scores, as BERTopic does.
 */
import type { WordScore } from './topWords.js';
import { cosine, type WordVectors } from './wordVectors.js';

/** Indices of the chosen words, in the order MMR picks them (ties: the lower index, numpy's argmax). */
function mmrSelect(topic: ArrayLike<number>, words: readonly ArrayLike<number>[], diversity: number, topN: number): number[] {
  const n = words.length;
  if (n === 0) return [];
  const toTopic = words.map((w) => cosine(w, topic));
  const nearest = new Float64Array(n).fill(-Infinity); // max similarity to a chosen word
  const chosen: number[] = [];
  const free = new Uint8Array(n).fill(1);
  let pick = argmax(toTopic, free, () => 0);
  for (;;) {
    chosen.push(pick);
    free[pick] = 0;
    if (chosen.length >= Math.min(topN, n)) return chosen;
    for (let i = 0; i < n; i++) if (free[i]) nearest[i] = Math.max(nearest[i]!, cosine(words[i]!, words[pick]!));
    pick = argmax(toTopic, free, (i) => diversity * nearest[i]!, 1 - diversity);
  }
}

function argmax(sim: readonly number[], free: Uint8Array, penalty: (i: number) => number, weight = 1): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < sim.length; i++) {
    if (!free[i]) continue;
    const v = weight * sim[i]! - penalty(i);
    if (best < 0 || v > bestValue) [best, bestValue] = [i, v];
  }
  return best;
}

/** One topic's words by MMR: `candidates` best first (c-TF-IDF), the result in the same order. */
export async function mmrWords(candidates: readonly WordScore[], vectors: WordVectors, diversity: number, topN: number): Promise<WordScore[]> {
  if (candidates.length === 0) return [];
  const strings = candidates.map((c) => c.word);
  const [topic, ...words] = await vectors.get([strings.join(' '), ...strings]);
  const keep = new Set(mmrSelect(topic!, words, diversity, topN));
  return candidates.filter((_, i) => keep.has(i));
}

/**
 * mmrWords for every topic, with every topic's strings embedded in one call first (one trip to the
 * embedder, not one per topic: in the service each trip queues behind ingestion).
 */
export async function mmrTopics<K>(candidatesOf: ReadonlyMap<K, readonly WordScore[]>, vectors: WordVectors, diversity: number, topN: number): Promise<Map<K, WordScore[]>> {
  const all = new Set<string>();
  for (const c of candidatesOf.values()) {
    if (c.length === 0) continue;
    all.add(c.map((w) => w.word).join(' '));
    for (const w of c) all.add(w.word);
  }
  await vectors.get([...all]);
  const out = new Map<K, WordScore[]>();
  for (const [k, c] of candidatesOf) out.set(k, await mmrWords(c, vectors, diversity, topN));
  return out;
}
