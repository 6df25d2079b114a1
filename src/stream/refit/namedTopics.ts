/**
 * Zero-shot and guided topics in the service (config topics.zeroShot, topics.seedTopics; the batch
 * side is src/toolbox/guidance.ts, docs/design.md "Named topics in the service"). The names and seed
 * topics are embedded once with the service's model. In the refit worker, as in `fit`: the window's
 * embeddings are nudged toward their seed topic, the k-NN graph and UMAP take all documents,
 * documents whose similarity with a name reaches topics.zeroShot.minSimilarity go to that name's
 * topic, and HDBSCAN clusters the rest. On the main thread, the clusters are matched to the old
 * non-named topics as usual, and each name keeps one topic id for as long as the registry knows
 * it (in snapshots too; retired named topics are never pruned): the id it had, else a fresh one.
 */
import type { Config } from '../../config/schema.js';
import type { Embedder, Matrix } from '../../core/types.js';
import { createMatrix, rowsOf } from '../../core/types.js';
import { guideEmbeddings, seedTopicStrings } from '../../toolbox/guided.js';
import { matchZeroShot, unmatchedRows } from '../../toolbox/zeroShot.js';
import type { TopicRegistry } from '../topicRegistry.js';
import type { MatchEvent, MatchResult } from '../identity/matchTopics.js';
import type { GuidanceVectors } from './types.js';

/** The configured names and seed topics, embedded (once per embedder and setting); undefined without any. */
export async function guidanceVectors(config: Config, embedder: Pick<Embedder, 'embed'>): Promise<GuidanceVectors | undefined> {
  const { zeroShot, seedTopics } = config.topics;
  if (zeroShot.names.length === 0 && seedTopics.length === 0) return undefined;
  const seeds = seedTopicStrings(seedTopics);
  const key = JSON.stringify([seeds, zeroShot.names, zeroShot.minSimilarity]);
  const cached = cache.get(embedder);
  if (cached?.key === key) return cached.vectors;
  const vectors = embedder.embed([...seeds, ...zeroShot.names], undefined, 'low').then((m) => ({
    seeds: m.data.slice(0, seeds.length * m.cols),
    seedCount: seeds.length,
    names: m.data.slice(seeds.length * m.cols),
    nameCount: zeroShot.names.length,
    minSimilarity: zeroShot.minSimilarity,
  }));
  cache.set(embedder, { key, vectors });
  vectors.catch(() => cache.delete(embedder)); // a failed embedding is tried again at the next refit
  return vectors;
}

const cache = new WeakMap<object, { key: string; vectors: Promise<GuidanceVectors> }>();

/** The refit worker's input: the embeddings nudged by the seed topics (the same matrix without seed topics). */
export function guidedInput(x: Matrix, g: GuidanceVectors | undefined): Matrix {
  if (!g || g.seedCount === 0) return x;
  if (g.seeds.length !== g.seedCount * x.cols) throw new Error(`seed topics embed to ${g.seeds.length / g.seedCount} dimensions, the documents have ${x.cols}`);
  return guideEmbeddings(x, createMatrix(g.seedCount, x.cols, g.seeds)).embeddings;
}

/**
 * HDBSCAN on the reduced rows no name took (`cluster`), the named rows set aside: per document its
 * cluster label (−1 for named rows), probability (a named row's: its similarity) and name index.
 */
export function clusterUnnamed(
  work: Matrix,
  reduced: Matrix,
  g: GuidanceVectors | undefined,
  cluster: (m: Matrix) => { labels: Int32Array; probabilities: Float32Array },
): { labels: Int32Array; probabilities: Float32Array; named?: Int32Array } {
  if (!g || g.nameCount === 0) return cluster(reduced);
  if (g.names.length !== g.nameCount * work.cols) throw new Error(`topic names embed to ${g.names.length / g.nameCount} dimensions, the documents have ${work.cols}`);
  const match = matchZeroShot(work, createMatrix(g.nameCount, work.cols, g.names), g.minSimilarity);
  const rows = unmatchedRows(match);
  const labels = new Int32Array(work.rows).fill(-1);
  const probabilities = Float32Array.from(match.similarity);
  // fewer than 2 rows left: all outliers (as fit)
  const sub = rows.length >= 2 ? cluster(rowsOf(reduced, rows)) : { labels: new Int32Array(rows.length).fill(-1), probabilities: new Float32Array(rows.length) };
  rows.forEach((row, j) => {
    labels[row] = sub.labels[j]!;
    probabilities[row] = sub.probabilities[j]!;
  });
  return { labels, probabilities, named: match.topic };
}

/** Topic id → name of the registry's named topics, active or retired. */
export function namedTopicIds(registry: TopicRegistry): Map<number, string> {
  const out = new Map<number, string>();
  for (const t of registry.all()) if (t.name !== undefined) out.set(t.id, t.name);
  return out;
}

/** The matcher's view of the old topics: named topics' documents count as outliers, named topics take no part. */
export function withoutNamed<T extends { prev: Int32Array; activeOld: readonly number[]; oldCentroids: Map<number, Float32Array> }>(input: T, named: ReadonlyMap<number, string>): T {
  if (named.size === 0) return input;
  return {
    ...input,
    prev: Int32Array.from(input.prev, (t) => (named.has(t) ? -1 : t)),
    activeOld: input.activeOld.filter((id) => !named.has(id)),
    oldCentroids: new Map([...input.oldCentroids].filter(([id]) => !named.has(id))),
  };
}

export interface NamedRefit {
  /** the match with the named topics added (label → id, born/died events, next id) */
  match: MatchResult;
  /** cluster labels with the named documents in their name's label */
  labels: Int32Array;
  /** topic ids with the named documents in their name's topic */
  topicIds: Int32Array;
  /** topic id → name of the named topics in this refit */
  names: Map<number, string>;
}

/**
 * The named documents join their name's topic: label (after every cluster label) and id (the one
 * the name had, else the next free id). A named topic that comes back is `born` again under its id;
 * one left without documents `died`.
 */
export function addNamedTopics(input: {
  registry: TopicRegistry;
  names: readonly string[];
  /** per document: name index or −1 */
  named: Int32Array;
  match: MatchResult;
  labels: Int32Array;
  topicIds: Int32Array;
}): NamedRefit {
  const { registry, names, named } = input;
  const idByName = new Map([...namedTopicIds(registry)].map(([id, name]) => [name, id]));
  const labels = Int32Array.from(input.labels);
  const topicIds = Int32Array.from(input.topicIds);
  const firstLabel = labels.reduce((m, l) => Math.max(m, l), -1) + 1;
  const idOf = new Map(input.match.idOf);
  const events: MatchEvent[] = [...input.match.events];
  let nextId = input.match.nextId;
  const used = new Set<number>();
  for (const j of named) if (j >= 0) used.add(j);
  const ids = new Map<number, number>();
  const out = new Map<number, string>();
  for (const j of [...used].sort((a, b) => a - b)) {
    const name = names[j]!;
    const id = idByName.get(name) ?? nextId++;
    ids.set(j, id);
    out.set(id, name);
    idOf.set(firstLabel + j, id);
    if (registry.get(id)?.status !== 'active') events.push({ type: 'born', topicId: id, related: [], details: { name } });
  }
  for (const [name, id] of idByName) {
    if (!out.has(id) && registry.get(id)?.status === 'active') events.push({ type: 'died', topicId: id, related: [], details: { name } });
  }
  named.forEach((j, i) => {
    if (j < 0) return;
    labels[i] = firstLabel + j;
    topicIds[i] = ids.get(j)!;
  });
  return { match: { ...input.match, idOf, events, nextId }, labels, topicIds, names: out };
}
