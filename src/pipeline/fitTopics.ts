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
import { combineGuidance, nameTopics, prepareGuidance, type Guidance, type GuidanceOptions } from '../toolbox/guidance.js';
import { rowsOf } from '../core/types.js';
import type { TopicTerms } from '../represent/topicTerms.js';

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
  /** Zero-shot topics and/or seed topics (BERTopic's zeroshot_topic_list, seed_topic_list; src/toolbox/guidance.ts). */
  guidance?: GuidanceOptions;
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
  /** zero-shot / guided topics: named topic id -> index in the names, documents matched, documents nudged, the rows clustered; null without */
  guidance: FitGuidance | null;
  probabilities: Float32Array;
  topics: Topic[];
  /** the c-TF-IDF the topics were described from */
  terms: TopicTerms;
  /** documents and words per topic per time bin; null when no document has `ts` */
  topicsOverTime: TopicsOverTime | null;
  seconds: Partial<Record<StageName, number>>;
}

export interface FitGuidance {
  names: Map<number, number> | null;
  matched: number;
  nudged: number | null;
  /** the documents HDBSCAN clustered (the others went to named topics); null: all */
  clusteredRows: Int32Array | null;
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

  const guide = opts.guidance ? await prepareGuidance(embeddings, opts.guidance) : null;
  const work = guide?.embeddings ?? embeddings;
  const k = neighbourCount(opts.nNeighbors, docs.length);
  const graph = await timed('knn', (p) => stages.knn(work, k, p));
  const reduced = await timed('umap', (p) => stages.reducer.fit(work, graph, p));
  const clusters = await timed('hdbscan', () => clusterRows(stages, reduced, guide?.unmatched ?? null));
  const combined = combineGuidance(guide ?? { embeddings: work, seedOf: null, match: null, unmatched: null }, relabelBySize(clusters.labels), clusters.probabilities);
  const clusterLabels = combined.labels;
  const toolbox = opts.toolbox && toolboxActive(opts.toolbox.settings) ? runToolbox(docs, work, clusterLabels, opts, seconds) : null;
  const labels = toolbox?.labels ?? clusterLabels;
  const described = await timed('ctfidf', () => stages.describe(docs, labels, work));
  const topics = nameTopics(described.topics, combined.names, opts.guidance?.zeroShot.names ?? [], toolbox?.mapping);
  const topicsOverTime = stages.overTime?.(docs, labels) ?? null;
  const guidance = guide ? guidanceOf(guide, combined.names) : null;
  return { embeddings, reduced, labels, clusterLabels, toolbox, guidance, probabilities: combined.probabilities, topics, terms: described.terms, topicsOverTime, seconds };
}

/** HDBSCAN on the reduced rows (all, or those no named topic took; fewer than 2: all outliers). */
async function clusterRows(stages: FitStages, reduced: Matrix, rows: Int32Array | null): Promise<{ labels: Int32Array; probabilities: Float32Array }> {
  if (!rows) return stages.clusterer.fit(reduced);
  if (rows.length < 2) return { labels: new Int32Array(rows.length).fill(-1), probabilities: new Float32Array(rows.length) };
  return stages.clusterer.fit(rowsOf(reduced, rows));
}

function guidanceOf(g: Guidance, names: Map<number, number> | null): FitGuidance {
  const matched = g.match ? g.match.topic.filter((t) => t >= 0).length : 0;
  const nudged = g.seedOf ? g.seedOf.filter((t) => t >= 0).length : null;
  return { names, matched, nudged, clusteredRows: g.unmatched };
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
