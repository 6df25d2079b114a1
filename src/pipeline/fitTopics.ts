/**
 * The batch pipeline, stage by stage: embed → k-NN graph → reduce → cluster → describe.
 * Each stage is a component passed in (built from the config by components.ts), so any one can be
 * swapped.
 */
import type { Doc, Matrix, Progress } from '../core/types.js';
import type { Topic } from '../model/topic.js';
import type { TopicsOverTime } from '../model/outputs.js';
import { neighbourCount, type FitStages } from './components.js';
import { relabelBySize } from './relabel.js';

export type { FitStages };

export type StageName = 'embed' | 'knn' | 'umap' | 'hdbscan' | 'ctfidf';
export const STAGES: readonly StageName[] = ['embed', 'knn', 'umap', 'hdbscan', 'ctfidf'];

export interface FitOptions {
  nNeighbors: number;
  /** Skip embedding: vectors computed earlier (e.g. by a benchmark), one row per doc. */
  embeddings?: Matrix;
  /** Called as a stage starts and as it progresses. */
  onProgress?: (stage: StageName, done: number, total: number) => void;
  onStageDone?: (stage: StageName, seconds: number) => void;
}

export interface FitOutput {
  embeddings: Matrix;
  reduced: Matrix;
  labels: Int32Array;
  probabilities: Float32Array;
  topics: Topic[];
  /** documents and words per topic per time bin; null when no document has `ts` */
  topicsOverTime: TopicsOverTime | null;
  seconds: Record<StageName, number>;
}

export async function fitTopics(docs: readonly Doc[], stages: FitStages, opts: FitOptions): Promise<FitOutput> {
  if (docs.length === 0) throw new Error('no documents to fit');
  const seconds = {} as Record<StageName, number>;
  const timed = async <T>(name: StageName, f: (p: Progress) => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const r = await f((done, total) => opts.onProgress?.(name, done, total));
    seconds[name] = (performance.now() - t0) / 1000;
    opts.onStageDone?.(name, seconds[name]);
    return r;
  };

  const embeddings =
    opts.embeddings ??
    (await timed('embed', (p) => stages.embedder.embed(docs.map((d) => d.text), p)));
  if (opts.embeddings) seconds.embed = 0;
  if (embeddings.rows !== docs.length) throw new Error(`got ${embeddings.rows} embeddings for ${docs.length} documents`);

  const k = neighbourCount(opts.nNeighbors, docs.length);
  const graph = await timed('knn', (p) => stages.knn(embeddings, k, p));
  const reduced = await timed('umap', (p) => stages.reducer.fit(embeddings, graph, p));
  const clusters = await timed('hdbscan', () => stages.clusterer.fit(reduced));
  const labels = relabelBySize(clusters.labels);
  const topics = await timed('ctfidf', () => stages.describe(docs, labels, embeddings));
  const topicsOverTime = stages.overTime?.(docs, labels) ?? null;
  return { embeddings, reduced, labels, probabilities: clusters.probabilities, topics, topicsOverTime, seconds };
}
