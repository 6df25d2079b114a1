/**
 * Zero-shot and guided topics in the batch fit (fitTopics, for `fit` and `refit`): the settings
 * (config `topics.zeroShot`, `topics.seedTopics`), the embedding of names and seed topics, and the
 * combination of named topics with the clusters. The steps themselves: zeroShot.ts, guided.ts.
 */
import type { Config } from '../config/schema.js';
import type { Embedder, Matrix } from '../core/types.js';
import type { Topic } from '../model/topic.js';
import { guideEmbeddings, seedTopicStrings } from './guided.js';
import { combineZeroShot, matchZeroShot, unmatchedRows, type ZeroShotMatch } from './zeroShot.js';
import { rowsOf } from '../core/types.js';

export interface GuidanceOptions {
  zeroShot: Config['topics']['zeroShot'];
  seedTopics: Config['topics']['seedTopics'];
  /** embeds names and seed topics with the documents' model */
  embed(texts: readonly string[]): Promise<Matrix>;
}

export interface Guidance {
  /** the embeddings to cluster and describe with: nudged by seed topics, else the documents' */
  embeddings: Matrix;
  /** seed topic per document (-1: not nudged); null without seed topics */
  seedOf: Int32Array | null;
  match: ZeroShotMatch | null;
  /** the rows left to cluster; null without zero-shot topics (all rows) */
  unmatched: Int32Array | null;
}

/** Guidance from the config, or undefined when neither is set. start: an embedder for the strings (closed after). */
export function guidanceOptions(config: Config, start: () => Promise<Pick<Embedder, 'embed' | 'close'>>, own = true): GuidanceOptions | undefined {
  const t = config.topics;
  if (t.zeroShot.names.length === 0 && t.seedTopics.length === 0) return undefined;
  return {
    zeroShot: t.zeroShot,
    seedTopics: t.seedTopics,
    embed: async (texts) => {
      const e = await start();
      try {
        return await e.embed(texts);
      } finally {
        if (own) await e.close();
      }
    },
  };
}

/** Seed topics first (BERTopic nudges, then matches the nudged embeddings to the names). */
export async function prepareGuidance(embeddings: Matrix, g: GuidanceOptions): Promise<Guidance> {
  const seeds = seedTopicStrings(g.seedTopics);
  const names = g.zeroShot.names;
  const vectors = await g.embed([...seeds, ...names]);
  if (vectors.cols !== embeddings.cols) throw new Error(`names and seed topics embed to ${vectors.cols} dimensions, the documents have ${embeddings.cols}`);
  const guided = seeds.length > 0 ? guideEmbeddings(embeddings, rowsOf(vectors, seeds.map((_, i) => i))) : null;
  const work = guided?.embeddings ?? embeddings;
  const match = names.length > 0 ? matchZeroShot(work, rowsOf(vectors, names.map((_, i) => seeds.length + i)), g.zeroShot.minSimilarity) : null;
  return { embeddings: work, seedOf: guided?.y ?? null, match, unmatched: match ? unmatchedRows(match) : null };
}

/** Labels and probabilities of all documents from the clusters of the unmatched rows (named topics' probability: the similarity). */
export function combineGuidance(
  g: Guidance,
  labels: Int32Array,
  probabilities: Float32Array,
): { labels: Int32Array; probabilities: Float32Array; names: Map<number, number> | null } {
  if (!g.match || !g.unmatched) return { labels, probabilities, names: null };
  const combined = combineZeroShot(g.match, g.unmatched, labels);
  const p = Float32Array.from(g.match.similarity);
  g.unmatched.forEach((row, j) => (p[row] = probabilities[j]!));
  return { labels: combined.labels, probabilities: p, names: combined.names };
}

/** Named topics keep their names as labels (after a topic reduction: the topic a named topic went to). */
export function nameTopics(topics: Topic[], names: Map<number, number> | null, zeroShotNames: readonly string[], mapping?: Map<number, number>): Topic[] {
  if (!names) return topics;
  const label = new Map<number, string>();
  for (const [id, i] of names) {
    const to = mapping?.get(id) ?? id;
    if (to >= 0 && !label.has(to)) label.set(to, zeroShotNames[i]!);
  }
  return topics.map((t) => (label.has(t.id) ? { ...t, label: label.get(t.id)! } : t));
}

/** topics.json's record of the guidance. */
export function guidanceRecord(g: GuidanceOptions | undefined, out: { guidance: { matched: number; nudged: number | null } | null }): Record<string, unknown> {
  if (!g || !out.guidance) return {};
  return {
    guidance: {
      ...(g.zeroShot.names.length ? { zero_shot: { names: g.zeroShot.names, min_similarity: g.zeroShot.minSimilarity, matched_docs: out.guidance.matched } } : {}),
      ...(g.seedTopics.length ? { seed_topics: g.seedTopics, nudged_docs: out.guidance.nudged ?? 0 } : {}),
    },
  };
}
