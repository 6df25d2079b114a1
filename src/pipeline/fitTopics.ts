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
import { applyToolbox, toolboxActive, type ToolboxInput, type ToolboxOutput } from '../toolbox/applyToolbox.js';

export type { FitStages };

export type StageName = 'embed' | 'knn' | 'umap' | 'hdbscan' | 'reduce' | 'outliers' | 'ctfidf';
export const STAGES: readonly StageName[] = ['embed', 'knn', 'umap', 'hdbscan', 'reduce', 'outliers', 'ctfidf'];

/** Topic and outlier reduction after clustering (src/toolbox/): the settings and the c-TF-IDF to compare by. */
export type ToolboxOptions = Pick<ToolboxInput, 'settings' | 'topicTerms'>;

export interface FitOptions {
  nNeighbors: number;
  /** Skip embedding: vectors computed earlier (e.g. by a benchmark), one row per doc. */
  embeddings?: Matrix;
  /** Reduce topics and outliers before describing the topics (BERTopic's nr_topics, reduce_outliers + update_topics). */
  toolbox?: ToolboxOptions;
  /** Called as a stage starts and as it progresses. */
  onProgress?: (stage: StageName, done: number, total: number) => void;
  onStageDone?: (stage: StageName, seconds: number) => void;
}

export interface FitOutput {
  embeddings: Matrix;
  reduced: Matrix;
  labels: Int32Array;
  /** HDBSCAN's clusters numbered by size, before the toolbox (equal to labels without one) */
  clusterLabels: Int32Array;
  /** the toolbox's merges (cluster topic -> topic) and counts; null without a toolbox step */
  toolbox: ToolboxOutput | null;
  probabilities: Float32Array;
  topics: Topic[];
  /** documents and words per topic per time bin; null when no document has `ts` */
  topicsOverTime: TopicsOverTime | null;
  seconds: Partial<Record<StageName, number>>;
}

export async function fitTopics(docs: readonly Doc[], stages: FitStages, opts: FitOptions): Promise<FitOutput> {
  if (docs.length === 0) throw new Error('no documents to fit');
  const seconds: Partial<Record<StageName, number>> = {};
  const timed = async <T>(name: StageName, f: (p: Progress) => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const r = await f((done, total) => opts.onProgress?.(name, done, total));
    const s = (performance.now() - t0) / 1000;
    seconds[name] = s;
    opts.onStageDone?.(name, s);
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
  const clusterLabels = relabelBySize(clusters.labels);
  const toolbox = opts.toolbox && toolboxActive(opts.toolbox.settings) ? runToolbox(docs, embeddings, clusterLabels, opts, seconds) : null;
  const labels = toolbox?.labels ?? clusterLabels;
  const topics = await timed('ctfidf', () => stages.describe(docs, labels, embeddings));
  const topicsOverTime = stages.overTime?.(docs, labels) ?? null;
  return { embeddings, reduced, labels, clusterLabels, toolbox, probabilities: clusters.probabilities, topics, topicsOverTime, seconds };
}

/** The toolbox steps on labels, timed and reported as stages 'reduce' and 'outliers'. */
export function runToolbox(
  docs: readonly Doc[],
  embeddings: Matrix,
  labels: Int32Array,
  opts: Pick<FitOptions, 'toolbox' | 'onProgress' | 'onStageDone'>,
  seconds: Partial<Record<StageName, number>>,
): ToolboxOutput {
  const tb = opts.toolbox!;
  return applyToolbox({
    texts: docs.map((d) => d.text),
    labels,
    embeddings,
    settings: tb.settings,
    topicTerms: tb.topicTerms,
    onProgress: (step, done, total) => opts.onProgress?.(step, done, total),
    onStepDone: (step, s) => {
      seconds[step] = s;
      opts.onStageDone?.(step, s);
    },
  });
}
