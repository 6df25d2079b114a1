/**
 * Builds each pipeline stage from the configuration. This is the one place that knows which
 * implementation sits behind each interface; swapping a stage means changing it here (or the config).
 */
import type { Config } from '../config/schema.js';
import type { Doc, Matrix } from '../core/types.js';
import type { WorkerPoolEvent } from '../core/workers/events.js';
import { createEmbedder, type TopicstreamEmbedder } from '../embed/index.js';
import { buildKnnGraph } from '../knn/buildKnnGraph.js';
import { createReducer } from '../reduce/index.js';
import { HdbscanClusterer } from '../cluster/hdbscanClusterer.js';
import type { FitStages } from './fitTopics.js';
import { describeTopics } from './describeTopics.js';
import type { ProgressBar } from '../cli/progress.js';

export interface ComponentOptions {
  log?: (msg: string) => void;
  /** shows the model download when the model has to be pulled first */
  onModelDownload?: ProgressBar;
  /** embedding-worker timeouts, deaths and restarts (default: a line to `log`) */
  onWorkerEvent?: (e: WorkerPoolEvent) => void;
}

export function createEmbedderFromConfig(config: Config, opts: ComponentOptions = {}): Promise<TopicstreamEmbedder> {
  const e = config.embedding;
  return createEmbedder({
    modelDir: e.modelDir,
    dtype: e.dtype,
    workers: e.workers,
    threadsPerWorker: e.threadsPerWorker,
    batchSize: e.batchSize,
    longText: e.longText,
    timeoutSeconds: e.timeoutSeconds,
    maxRestartsPerMinute: e.maxRestartsPerMinute,
    log: opts.log,
    ...(opts.onWorkerEvent ? { onWorkerEvent: opts.onWorkerEvent } : {}),
    pull: opts.onModelDownload ? { onProgress: (p) => opts.onModelDownload!.update(p.loaded, p.total || p.loaded) } : {},
  });
}

export function knnGraphOptions(config: Config) {
  return { M: config.knn.M, efConstruction: config.knn.efConstruction, efSearch: config.knn.efSearch, seed: config.seed };
}

export function reducerSettings(config: Config) {
  return {
    nNeighbors: config.umap.nNeighbors,
    nComponents: config.umap.nComponents,
    minDist: config.umap.minDist,
    seed: config.seed,
    ...(config.umap.nEpochs !== null ? { nEpochs: config.umap.nEpochs } : {}),
  };
}

export function hdbscanParams(config: Config) {
  const h = config.hdbscan;
  return {
    minClusterSize: h.minClusterSize,
    ...(h.minSamples !== null ? { minSamples: h.minSamples } : {}),
    clusterSelectionMethod: h.clusterSelectionMethod,
    clusterSelectionEpsilon: h.clusterSelectionEpsilon,
  };
}

export async function buildFitStages(config: Config, opts: ComponentOptions = {}): Promise<FitStages> {
  const embedder = await createEmbedderFromConfig(config, opts);
  return {
    embedder,
    knn: async (x: Matrix, k: number, onProgress) => {
      onProgress?.(0, x.rows);
      const g = buildKnnGraph(x, k, knnGraphOptions(config));
      onProgress?.(x.rows, x.rows);
      return g;
    },
    reducer: createReducer(config.umap.implementation, reducerSettings(config)),
    clusterer: new HdbscanClusterer(hdbscanParams(config)),
    describe: (docs: readonly Doc[], labels: Int32Array) => describeTopics(docs, labels, config),
  };
}
