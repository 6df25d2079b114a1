/**
 * The batch pipeline, stage by stage: embed → k-NN graph → reduce → cluster → describe.
 * Each stage is a component passed in (see components.ts), so any one can be swapped.
 */
import type { Clusterer, Doc, Embedder, KnnGraph, Matrix, Progress, Reducer } from '../core/types.js';
import type { Topic } from '../model/topic.js';
import { relabelBySize } from './relabel.js';

export type StageName = 'embed' | 'knn' | 'umap' | 'hdbscan' | 'ctfidf';
export const STAGES: readonly StageName[] = ['embed', 'knn', 'umap', 'hdbscan', 'ctfidf'];

export interface FitStages {
  embedder: Embedder;
  knn(x: Matrix, k: number, onProgress?: Progress): Promise<KnnGraph>;
  reducer: Reducer;
  clusterer: Clusterer;
  describe(docs: readonly Doc[], labels: Int32Array, embeddings: Matrix): Topic[];
}

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

  // UMAP cannot use more neighbours than there are other points
  const k = Math.min(opts.nNeighbors, docs.length - 1);
  if (k < 2) throw new Error(`need at least 3 documents to fit topics, got ${docs.length}`);
  const graph = await timed('knn', (p) => stages.knn(embeddings, k, p));
  const reduced = await timed('umap', (p) => stages.reducer.fit(embeddings, graph, p));
  const clusters = await timed('hdbscan', () => stages.clusterer.fit(reduced));
  const labels = relabelBySize(clusters.labels);
  const topics = await timed('ctfidf', () => stages.describe(docs, labels, embeddings));
  return { embeddings, reduced, labels, probabilities: clusters.probabilities, topics, seconds };
}
