/**
 * The one place where the configuration becomes stage options and stage instances, for `fit` and
 * for the streaming service alike (docs/design.md, "Stages from the config"). It knows which
 * implementation sits behind each interface of src/core/types.ts; swapping a stage means changing
 * it here (or the config). Every default is in src/config/schema.ts: the functions below pass
 * every option explicitly.
 *
 * What differs between a batch fit and a streaming refit is only the run (`StageRun`: seed and
 * UMAP epochs); with the same run, both build the same stages and get the same clusters.
 */
import { availableParallelism } from 'node:os';
import type { Config } from '../config/schema.js';
import type { Clusterer, Doc, Embedder, KnnGraph, Matrix, Progress, Reducer, SyncClusterer, SyncReducer } from '../core/types.js';
import type { WorkerPoolEvent } from '../core/workers/events.js';
import { createEmbedder, type TopicstreamEmbedder } from '../embed/index.js';
import { buildKnnGraph } from '../knn/buildKnnGraph.js';
import { nnDescentKnn, type NnDescentOptions } from '../knn/nnDescent.js';
import type { HnswOptions } from '../knn/hnswIndex.js';
import { WorkerReducer, type InitialLayout, type ReducerSettings } from '../reduce/index.js';
import { HdbscanClusterer } from '../cluster/hdbscanClusterer.js';
import type { HdbscanParams } from '../cluster/options.js';
import type { Topic } from '../model/topic.js';
import { describeTopicsAndTerms } from './describeTopics.js';
import type { TopicTerms } from '../represent/topicTerms.js';
import { topicsOverTime } from './topicsOverTime.js';
import type { TopicsOverTime } from '../model/outputs.js';

/** What a run sets besides the config: a refit uses its own seed and epochs. */
export interface StageRun {
  /** seed of the HNSW level generator and of UMAP */
  seed: number;
  /** UMAP epochs; null = the implementation's schedule */
  nEpochs: number | null;
  /** a refit with memory: UMAP starts from the previous layout, at this learning rate (fast-umap only) */
  warm?: { initial: InitialLayout; learningRate: number };
  /** threads of UMAP's layout epochs (fast-umap; its helper threads take the nice value of the thread that runs the fit) */
  umapThreads?: number;
}

/** `topicstream fit`: the config's seed and `umap.nEpochs`. */
export function fitRun(config: Config): StageRun {
  return { seed: config.seed, nEpochs: config.umap.nEpochs, umapThreads: config.umap.threads };
}

/**
 * A streaming refit of nDocs documents: `stream.refit.umapEpochs` epochs (`largeWindowEpochs` from
 * `largeWindowDocs` documents) and the seed of its job, which the refit cycle
 * (src/stream/refit/refitCycle.ts) sets to `seed + version` (each model version draws its own
 * layout, reproducibly on one thread), on `stream.refit.umapThreads` threads (auto: every core for
 * a large refit, one below; at the refit worker's nice value). With a warm start (`stream.memory.warmStart`, the previous refit's
 * layout): `stream.memory.warmEpochs` epochs at `stream.memory.warmLearningRate`.
 */
export function refitRun(config: Config, seed: number, nDocs: number, warm?: InitialLayout): StageRun {
  const r = config.stream.refit;
  const large = nDocs >= r.largeWindowDocs;
  const threads = { umapThreads: r.umapThreads !== 'auto' ? r.umapThreads : large ? availableParallelism() : 1 };
  if (!warm) return { seed, nEpochs: large ? r.largeWindowEpochs : r.umapEpochs, ...threads };
  const m = config.stream.memory;
  return { seed, nEpochs: m.warmEpochs, warm: { initial: warm, learningRate: m.warmLearningRate }, ...threads };
}

/** The HNSW options of every index: the k-NN graph's and the service's assignment index. */
export function hnswOptions(config: Config, seed: number = config.seed): HnswOptions {
  const k = config.knn;
  return { M: k.M, efConstruction: k.efConstruction, efSearch: k.efSearch, seed };
}

/** NN-descent's options for the k-NN graph (knn.graph: nndescent). */
export function nnDescentOptions(config: Config, seed: number = config.seed): NnDescentOptions {
  const o = config.knn.nnDescent;
  const threads = o.threads === 'auto' ? availableParallelism() : o.threads;
  return { seed, nTrees: o.nTrees, leafSize: o.leafSize, maxCandidates: o.maxCandidates, nIters: o.nIters, delta: o.delta, threads };
}

/**
 * Neighbours per point of the k-NN graph: `nNeighbors`, or fewer when there are fewer other points
 * (UMAP cannot use more; umap-learn cuts n_neighbors the same way).
 */
export function neighbourCount(nNeighbors: number, nDocs: number): number {
  const k = Math.min(nNeighbors, nDocs - 1);
  if (k < 2) throw new Error(`need at least 3 documents to fit topics, got ${nDocs}`);
  return k;
}

export function reducerSettings(config: Config, run: StageRun): ReducerSettings {
  const u = config.umap;
  return {
    nNeighbors: u.nNeighbors,
    nComponents: u.nComponents,
    minDist: u.minDist,
    seed: run.seed,
    ...(run.nEpochs !== null ? { nEpochs: run.nEpochs } : {}),
    ...(run.warm ? { initial: run.warm.initial, learningRate: run.warm.learningRate } : {}),
    ...(run.umapThreads && run.umapThreads > 1 ? { threads: run.umapThreads } : {}),
  };
}

export function hdbscanParams(config: Config): HdbscanParams {
  const h = config.hdbscan;
  return {
    minClusterSize: h.minClusterSize,
    ...(h.minSamples !== null ? { minSamples: h.minSamples } : {}),
    clusterSelectionMethod: h.clusterSelectionMethod,
    clusterSelectionEpsilon: h.clusterSelectionEpsilon,
  };
}

/** k-NN graph → UMAP → HDBSCAN, built for one run; async (worker) and sync variants of each. */
export interface ClusterStages {
  knn(x: Matrix, k: number, onProgress?: Progress): KnnGraph;
  /** `fit` runs it in a worker of its own; the refit, already in a worker, calls `fitSync` */
  reducer: SyncReducer;
  clusterer: SyncClusterer;
}

/** The k-NN graph's builder for n points: knn.graph, or with auto NN-descent from knn.nnDescentFromDocs points. */
export function knnGraphMethod(config: Config, n: number): 'hnsw' | 'nndescent' {
  const g = config.knn.graph;
  return g !== 'auto' ? g : n >= config.knn.nnDescentFromDocs ? 'nndescent' : 'hnsw';
}

export function buildClusterStages(config: Config, run: StageRun): ClusterStages {
  const knnOptions = hnswOptions(config, run.seed);
  const nndOptions = nnDescentOptions(config, run.seed);
  return {
    knn: (x, k, onProgress) =>
      knnGraphMethod(config, x.rows) === 'nndescent' ? nnDescentKnn(x, k, nndOptions, onProgress) : buildKnnGraph(x, k, knnOptions, onProgress),
    reducer: new WorkerReducer(config.umap.implementation, reducerSettings(config, run)),
    clusterer: new HdbscanClusterer(hdbscanParams(config)),
  };
}

export interface ComponentOptions {
  log?: (msg: string) => void;
  /** progress of the model download, when the model has to be pulled first (bytes so far, expected) */
  onModelDownload?: Progress;
  /** embedding-worker timeouts, deaths and restarts (default: a line to `log`) */
  onWorkerEvent?: (e: WorkerPoolEvent) => void;
}

export function createEmbedderFromConfig(config: Config, opts: ComponentOptions = {}): Promise<TopicstreamEmbedder> {
  const e = config.embedding;
  const onDownload = opts.onModelDownload;
  return createEmbedder({
    model: e.model,
    modelDir: e.modelDir,
    dtype: e.dtype,
    workers: e.workers,
    threadsPerWorker: e.threadsPerWorker,
    batchSize: e.batchSize,
    batchTokens: e.batchTokens,
    longText: e.longText,
    timeoutSeconds: e.timeoutSeconds,
    maxRestartsPerMinute: e.maxRestartsPerMinute,
    log: opts.log,
    ...(opts.onWorkerEvent ? { onWorkerEvent: opts.onWorkerEvent } : {}),
    pull: onDownload ? { onProgress: (p) => onDownload(p.loaded, p.total || p.loaded) } : {},
  });
}

/** The stages `fitTopics` runs, each a component (any one can be swapped). */
export interface FitStages {
  embedder: Embedder;
  knn(x: Matrix, k: number, onProgress?: Progress): Promise<KnnGraph>;
  reducer: Reducer;
  clusterer: Clusterer;
  /** the topics and the c-TF-IDF they were described from */
  describe(docs: readonly Doc[], labels: Int32Array, embeddings: Matrix): Promise<{ topics: Topic[]; terms: TopicTerms }>;
  /** topics over time (documents with `ts`), as BERTopic's topics_over_time; optional */
  overTime?(docs: readonly Doc[], labels: Int32Array): TopicsOverTime | null;
}

/**
 * The stages of `topicstream fit` (the run of `fitRun`). `embedder`: one already created (e.g.
 * shared with other work); by default one is created from the config.
 */
export async function buildFitStages(config: Config, opts: ComponentOptions & { embedder?: Embedder } = {}): Promise<FitStages> {
  const embedder = opts.embedder ?? (await createEmbedderFromConfig(config, opts));
  const { knn, reducer, clusterer } = buildClusterStages(config, fitRun(config));
  return {
    embedder,
    knn: async (x, k, onProgress) => knn(x, k, onProgress),
    reducer,
    clusterer,
    describe: (docs: readonly Doc[], labels: Int32Array, embeddings: Matrix) => describeWithWords(docs, labels, embeddings, config, embedder, opts),
    overTime: (docs: readonly Doc[], labels: Int32Array) => topicsOverTime(docs, labels, config),
  };
}

/**
 * The describe stage with the configured representation. Words are embedded by the fit's embedder,
 * or, when that one only stands for stored embeddings (`stored`: fit --embeddings, refit), by one
 * started from the config for the stage and closed after it.
 */
export async function describeWithWords(docs: readonly Doc[], labels: Int32Array, embeddings: Matrix, config: Config, embedder: Embedder, opts: ComponentOptions): Promise<{ topics: Topic[]; terms: TopicTerms }> {
  const own: { embedder: Embedder | null } = { embedder: null };
  const words = async (): Promise<Embedder> => ('stored' in embedder ? (own.embedder = await createEmbedderFromConfig(config, opts)) : embedder);
  try {
    return await describeTopicsAndTerms(docs, labels, embeddings, config, words);
  } finally {
    await own.embedder?.close();
  }
}
