/**
 * What `fit`, `refit` and `reduce` share: stage progress on stderr, the toolbox options from the
 * config, the mapping from HDBSCAN's clusters to the final topics, and the output folder
 * (docs/design.md, "Files of `topicstream fit`").
 */
import type { Config } from '../../config/schema.js';
import type { Doc, Matrix } from '../../core/types.js';
import type { SerializedHdbscanModel } from '../../cluster/serialize.js';
import { HdbscanClusterer } from '../../cluster/hdbscanClusterer.js';
import type { Clusterer } from '../../core/types.js';
import { topicTerms } from '../../pipeline/describeTopics.js';
import type { TopicTerms } from '../../represent/topicTerms.js';
import { topicHierarchy } from '../../toolbox/topicHierarchy.js';
import type { ToolboxOutput } from '../../toolbox/applyToolbox.js';
import type { FitOptions, StageName, ToolboxOptions } from '../../pipeline/fitTopics.js';
import { writeTopicsFile, writeAssignments, writeTopicsOverTime, type TopicsFileMerge, type TopicsOverTime } from '../../model/outputs.js';
import { writeModelSnapshot } from '../../model/snapshot.js';
import type { Topic } from '../../model/topic.js';
import { progressBar, type ProgressBar } from '../progress.js';
import { VERSION } from '../../version.js';
import { roundTo } from '../../core/round.js';

/** One progress bar per stage on stderr. */
export function stageProgress(quiet: boolean): Pick<FitOptions, 'onProgress' | 'onStageDone'> {
  const bars = new Map<StageName, ProgressBar>();
  return {
    onProgress: (stage, done, total) => {
      let bar = bars.get(stage);
      if (!bar) bars.set(stage, (bar = progressBar(stage, total, process.stderr, quiet)));
      bar.update(done, total);
    },
    onStageDone: (stage, s) => {
      const bar = bars.get(stage) ?? progressBar(stage, 1, process.stderr, quiet);
      bar.done(`${s.toFixed(1)}s`);
    },
  };
}

/** topics.json's record of a toolbox run: counts before and after each step. */
export function toolboxRecord(tb: ToolboxOutput | null): Record<string, unknown> {
  if (!tb) return {};
  const s = tb.summary;
  return { toolbox: { topics_before: s.topicsBefore, topics_after: s.topicsAfter, outliers_before: s.outliersBefore, outliers_after: s.outliersAfter } };
}

/** The toolbox settings of the config, comparing topics by the c-TF-IDF `fit` describes them with. */
export function toolboxOptions(docs: readonly Doc[], config: Config): ToolboxOptions {
  const texts = docs.map((d) => d.text);
  return { settings: config.toolbox, topicTerms: (labels) => topicTerms(texts, labels, config) };
}

/** The clusterer's model and its clusters' final topics, when it is our HDBSCAN (for `predict`). */
export function clusterModelOf(clusterer: Clusterer, finalLabels: Int32Array): { clusterer: SerializedHdbscanModel; clusterTopics: Int32Array } | null {
  if (!(clusterer instanceof HdbscanClusterer) || !clusterer.isFitted) return null;
  const raw = clusterer.model.labels;
  let n = 0;
  for (const l of raw) if (l + 1 > n) n = l + 1;
  const topics = new Int32Array(n).fill(-1);
  for (let i = 0; i < raw.length; i++) if (raw[i]! >= 0) topics[raw[i]!] = finalLabels[i]!;
  return { clusterer: clusterer.toJSON(), clusterTopics: topics };
}

/** Everything a fit output folder holds, as computed. */
export interface FitResult {
  docs: readonly Doc[];
  embeddings: Matrix;
  reduced: Matrix | null;
  labels: Int32Array;
  probabilities: Float32Array;
  topics: Topic[];
  /** the c-TF-IDF the topics were described from */
  terms: TopicTerms;
  topicsOverTime: TopicsOverTime | null;
  seconds: Partial<Record<StageName, number>>;
  modelId: string;
  cluster: { clusterer: SerializedHdbscanModel; clusterTopics: Int32Array } | null;
  /** extra topics.json keys: refit_of / reduced_from (the source folder), toolbox (toolboxRecord) */
  provenance?: Record<string, unknown>;
}

/** topics.json's merge tree of the topics (on the c-TF-IDF describe computed). */
function hierarchyOf(r: FitResult): TopicsFileMerge[] {
  return topicHierarchy(r.terms).map((m) => ({ ...m, distance: roundTo(m.distance, 9) }));
}

/** topics.json, assignments.jsonl, topics_over_time.json (documents with ts) and the model snapshot. */
export async function writeFitOutputs(outDir: string, r: FitResult, config: Config): Promise<void> {
  const ids = r.docs.map((d) => d.id);
  const createdAt = new Date().toISOString();
  const seconds = Object.fromEntries(Object.entries(r.seconds).map(([k, v]) => [k, roundTo(v, 2)]));
  writeTopicsFile(
    outDir,
    r.topics,
    { n_docs: r.docs.length, model: r.modelId, created_at: createdAt, stage_seconds: seconds, config: { ...config, version: VERSION }, ...r.provenance, hierarchy: hierarchyOf(r) },
    config.ctfidf.topNWords,
  );
  await writeAssignments(outDir, ids, r.labels, r.probabilities);
  writeTopicsOverTime(outDir, r.topicsOverTime);
  await writeModelSnapshot(outDir, {
    modelId: r.modelId,
    modelVersion: 1,
    createdAt,
    config,
    docs: [...r.docs],
    embeddings: r.embeddings,
    reduced: r.reduced,
    labels: r.labels,
    probabilities: r.probabilities,
    topics: r.topics,
    clusterer: r.cluster?.clusterer ?? null,
    clusterTopics: r.cluster?.clusterTopics ?? null,
  });
}
