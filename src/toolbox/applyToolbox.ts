/**
 * The toolbox steps after clustering, in BERTopic's order: reduce topics (nr_topics), then reduce
 * outliers (reduce_outliers; update_topics follows when the caller describes the final labels).
 */
import type { Config } from '../config/schema.js';
import type { Matrix } from '../core/types.js';
import type { TopicTerms } from '../represent/topicTerms.js';
import { reduceOutliers } from './reduceOutliers.js';
import { reduceTopics } from './reduceTopics.js';

export type ToolboxSettings = Config['toolbox'];

export interface ToolboxInput {
  texts: readonly string[];
  labels: Int32Array;
  embeddings: Matrix;
  settings: ToolboxSettings;
  /** the c-TF-IDF of some labels (the pipeline's describe stage settings) */
  topicTerms(labels: Int32Array): TopicTerms;
  /** the step starting, and its progress */
  onProgress?: (step: ToolboxStep, done: number, total: number) => void;
  onStepDone?: (step: ToolboxStep, seconds: number) => void;
}

export type ToolboxStep = 'reduce' | 'outliers';

export interface ToolboxOutput {
  labels: Int32Array;
  /** topic before -> topic after (a reduction's merges; -1 -> -1); identity when no reduction ran */
  mapping: Map<number, number>;
  /** topics before and after the reduction, outliers before and after the outlier reduction */
  summary: { topicsBefore: number; topicsAfter: number; outliersBefore: number; outliersAfter: number };
}

export function toolboxActive(s: ToolboxSettings): boolean {
  return s.nrTopics !== null || s.reduceOutliers !== null;
}

export function applyToolbox(input: ToolboxInput): ToolboxOutput {
  const s = input.settings;
  let labels = input.labels;
  const count = (l: Int32Array) => ({ topics: new Set(l).size - (l.includes(-1) ? 1 : 0), outliers: l.filter((x) => x === -1).length });
  const before = count(labels);
  let mapping = new Map<number, number>([...new Set(labels)].map((l) => [l, l]));
  const timed = <T>(step: ToolboxStep, f: () => T): T => {
    const t0 = performance.now();
    input.onProgress?.(step, 0, 1);
    const r = f();
    input.onStepDone?.(step, (performance.now() - t0) / 1000);
    return r;
  };
  if (s.nrTopics !== null) {
    const nrTopics = s.nrTopics;
    const r = timed('reduce', () =>
      reduceTopics({
        labels,
        nrTopics,
        distance: s.topicDistance,
        embeddings: input.embeddings,
        ...(s.topicDistance === 'c-tf-idf' ? { terms: input.topicTerms(labels) } : {}),
      }),
    );
    labels = r.labels;
    mapping = r.mapping;
  }
  const mid = count(labels);
  if (s.reduceOutliers !== null) {
    const strategy = s.reduceOutliers;
    const current = labels;
    labels = timed('outliers', () =>
      reduceOutliers({
        texts: input.texts,
        labels: current,
        strategy,
        threshold: s.outlierThreshold,
        embeddings: input.embeddings,
        ...(strategy !== 'embeddings' ? { terms: input.topicTerms(current) } : {}),
        distributions: { window: s.distributionsWindow, stride: s.distributionsStride },
        onProgress: (done, total) => input.onProgress?.('outliers', done, total),
      }),
    ).labels;
  }
  const after = count(labels);
  return { labels, mapping, summary: { topicsBefore: before.topics, topicsAfter: mid.topics, outliersBefore: mid.outliers, outliersAfter: after.outliers } };
}
