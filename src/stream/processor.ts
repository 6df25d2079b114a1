/**
 * The streaming processor: a coordinator over small parts (docs/design.md, "The data path").
 *   source batch → triage (bad → DLQ) → embed → assign by k-NN → sinks → window
 *   every N docs or T s: refit (worker) → plan (pure) → publish → apply   (refit/refitCycle.ts)
 * A batch's handler resolves only when its outputs are durable, so the source commits offsets after
 * that (at-least-once). A batch is embedded before it takes its turn (embedding goes on while a
 * refit is applied, and a source handing over two batches at once overlaps them; docs/design.md).
 * Batches and the publish-and-apply step of a refit take turns (one mutex);
 * the refit's heavy stages run in a worker meanwhile and never block ingestion. It reports what it
 * does as events (processorEvents.ts); metrics and the status API listen.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Embedder } from '../core/types.js';
import { Mutex } from '../core/mutex.js';
import { roundTo } from '../core/round.js';
import { hnswOptions } from '../pipeline/components.js';
import type { OutMessage, RawRecord, Sink } from './types.js';
import { WindowStore } from './window/windowStore.js';
import type { Assignment } from './assign/knnAssigner.js';
import { CentroidAssigner } from './assign/centroidAssigner.js';
import { WindowIndex, type NearDoc } from './assign/windowIndex.js';
import { embedAhead, embedAndAssign, type Accepted, type Ahead } from './assign/assignBatch.js';
import { OutlierReducer } from './assign/outlierReducer.js';
import { LiveModel } from './model/liveModel.js';
import type { PublishedModel } from './model/modelMessage.js';
import { TopicRegistry, type TopicState } from './topicRegistry.js';
import { configLabels, publishLabel } from './topicLabels.js';
import { assignmentMessage, dlqMessage } from './messages.js';
import { sharedEmbeddings, WindowFeed } from './window/windowFeed.js';
import type { Refitter } from './refit/types.js';
import { RefitAbandoned, runRefit } from './refit/refitCycle.js';
import { classify, parseBatch, type Parsed, type TriageLimits } from './triage.js';
import { errorMessage } from './errors.js';
import { handleWithRetry } from './recordRetry.js';
import { ProcessorStats, type ProcessorEvents } from './processorEvents.js';
import { processorState, type ProcessorSnapshot, type ProcessorState } from './snapshotTypes.js';
import type { Rejection } from '../io/validate.js';

export type { RefitSummary } from './refit/summary.js';
export type { ProcessorState, ProcessorSnapshot, NearDoc };

export interface ProcessorDeps {
  config: Config;
  embedder: Embedder;
  sink: Sink;
  refitter: Refitter;
  log: Logger;
}

export class StreamProcessor extends EventEmitter<ProcessorEvents> {
  readonly window: WindowStore;
  private readonly index: WindowIndex;
  private readonly model: LiveModel;
  /** follower instances assign by the centroids of the published model */
  private readonly centroidAssigner: CentroidAssigner;
  /** k-NN (or centroid) outliers to their nearest topic above a similarity (stream.assign.reduceOutliers) */
  private readonly reducer: OutlierReducer;
  /** not refitting (role follower, or elected while another instance owns the refits) */
  private follower: boolean;
  /** role elected: bumped at every change of role (a refit started in an earlier term never publishes); assignment by centroids until this term's first refit is applied */
  private ownerTerm = 0;
  private ownRefitApplied = true;
  /** role elected: the window is fed from every instance's post-embeddings (addShared) */
  private readonly shared: boolean;
  private readonly feed: WindowFeed;
  private readonly lock = new Mutex();
  private readonly triageLimits: TriageLimits;
  private docsSinceRefit = 0;
  private lastRefitAt = Date.now();
  private refitting: Promise<void> | null = null;
  private closed = false;
  /** per partition: offset of the last record whose outputs are durable */
  readonly offsets = new Map<number, string>();
  /** epoch ms of the last batch that completed (for the stuck check) */
  lastProgressAt = Date.now();
  readonly stats = new ProcessorStats();

  constructor(private readonly deps: ProcessorDeps) {
    super();
    const { config } = deps;
    this.triageLimits = { fields: config.input, maxMessageBytes: config.kafka.maxMessageBytes };
    this.window = new WindowStore(config.stream.window.maxDocs, deps.embedder.dim, config.stream.window.maxBytes);
    const a = config.stream.assign;
    this.index = new WindowIndex(this.window, { hnsw: hnswOptions(config), k: a.k, minSimilarity: a.minSimilarity, minShare: a.minShare, onBuildError: (e) => this.deps.log.warn({ err: e }, 'building a fresh window index failed; the current one goes on') });
    this.model = new LiveModel(config.stream.retiredTopicsKept, configLabels(config), config.stream.history);
    this.follower = config.stream.role !== 'standalone';
    this.shared = config.stream.role === 'elected';
    this.feed = new WindowFeed(this.window, this.index, this.model, config.stream.window.maxAgeSeconds, deps.log, deps.embedder.modelId);
    this.centroidAssigner = new CentroidAssigner(deps.embedder.dim, a.minSimilarity);
    this.reducer = new OutlierReducer(deps.embedder.dim, a.reduceOutliers);
    this.on('batch', (e) => this.stats.onBatch(e));
    this.on('refit', (s) => (this.stats.lastRefit = s));
    this.on('refitFailed', () => this.stats.refitFailures++);
  }

  get registry(): TopicRegistry {
    return this.model.registry;
  }

  get modelVersion(): number {
    return this.model.version;
  }

  /** The topics' centroids (L2-normalised) of the model in force. */
  get centroids(): ReadonlyMap<number, Float32Array> {
    return this.model.centroids;
  }

  /** One batch of raw records; resolves once every output is durable (a record failing again and again is dead-lettered; an outage rejects and the source delivers the batch again). */
  handleBatch(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return handleWithRetry(
      records,
      async (recs) => {
        // embedded before the lock (embedding reads no window state): it goes on while a refit is applied
        const parsed = parseBatch(recs, this.triageLimits);
        const ahead = await embedAhead(classify(parsed, (id) => this.window.get(id)).fresh, this.deps.embedder);
        await this.lock.run(() => this.processBatch(recs, parsed, ahead));
      },
      (rec, error, attempts) =>
        this.lock.run(async () => {
          await this.deps.sink.send('dlq', [dlqMessage(rec, { reason: 'processing_failed', message: `failed ${attempts} times: ${errorMessage(error)}` })]);
          this.finishBatch([rec], { accepted: [], rejected: ['processing_failed'], duplicates: 0 });
        }),
      { attempts: this.deps.config.stream.maxRecordAttempts, log: this.deps.log, stopping: () => this.closed },
    );
  }

  private async processBatch(records: RawRecord[], parsed: readonly Parsed[], ahead: Ahead): Promise<void> {
    // classified again in the lock: what ran meanwhile may have added or evicted one of these ids
    const t = classify(parsed, (id) => this.window.get(id));
    const rejected = [...t.rejected];
    const assignments: OutMessage[] = t.replayed.map((d) => assignmentMessage(d.id, d.topic, d.probability, this.modelVersion, 'knn'));
    const { accepted, embed } = await embedAndAssign(t.fresh, { embedder: this.deps.embedder, assign: (v) => this.assign(v), modelVersion: this.modelVersion, maxOutputBytes: this.deps.config.kafka.maxOutputBytes, ahead }, assignments, rejected);
    await Promise.all([
      assignments.length ? this.deps.sink.send('assignments', assignments) : undefined,
      rejected.length ? this.deps.sink.send('dlq', rejected.map((r) => dlqMessage(r.rec, r.rejection))) : undefined,
      this.shared ? this.deps.sink.send('embeddings', sharedEmbeddings(accepted, { modelVersion: this.modelVersion, modelId: this.deps.embedder.modelId }, this.deps.config.stream.scaleOut, this.deps.config.kafka.maxOutputBytes)) : undefined,
    ]);
    // documents join the window only once their outputs are durable: a failed send leaves no trace,
    // and a snapshot never holds a document whose assignment was not delivered
    const now = Date.now();
    if (!this.shared) for (const x of accepted) if (this.feed.add(x.doc, x.vec, x.a.topic, x.a.probability, x.rec.partition, x.rec.offset, now)) this.docsSinceRefit++;
    this.feed.evictByAge();
    this.finishBatch(records, { accepted, rejected: rejected.map((r) => r.rejection.reason), duplicates: t.duplicates, embed });
    this.maybeRefit();
  }

  /** Bookkeeping once a batch's outputs are durable, and its event. */
  private finishBatch(records: RawRecord[], r: { accepted: Accepted[]; rejected: Rejection['reason'][]; duplicates: number; embed?: { seconds: number; docs: number } }): void {
    for (const rec of records) this.offsets.set(rec.partition, rec.offset);
    this.lastProgressAt = Date.now();
    this.index.maintain();
    const latencies = r.accepted.map((x) => Math.max(0, this.lastProgressAt - x.rec.timestamp) / 1000);
    const outliers = r.accepted.filter((x) => x.a.topic === -1).length;
    const outliersReduced = r.accepted.filter((x) => x.a.reduced).length;
    this.emit('batch', { records: records.length, assigned: r.accepted.length, outliers, outliersReduced, duplicates: r.duplicates, rejected: r.rejected, latencies, embed: r.embed, windowDocs: this.window.size });
  }

  /** Assigns a vector against the current window without adding it (search API). */
  assign(vec: Float32Array): Assignment {
    return this.reducer.reduce(vec, this.follower || !this.ownRefitApplied ? this.centroidAssigner.assign(vec) : this.index.assign(vec), this.model.centroids);
  }

  /** The window documents nearest to a vector, best first (search API). */
  nearest(vec: Float32Array, k: number): NearDoc[] {
    return this.index.nearest(vec, k);
  }

  /** The HNSW index's live points and slots (its memory). */
  indexSize(): { live: number; capacity: number } {
    return { live: this.index.count, capacity: this.index.capacity };
  }

  /** Role elected: every instance's post-embeddings join the window (src/kafka/embeddingsFeed.ts); resolves once in. */
  addShared(values: readonly Buffer[]): Promise<void> {
    return this.lock.run(async () => {
      this.docsSinceRefit += this.feed.addShared(values, Date.now());
      this.lastProgressAt = Date.now();
      this.index.maintain();
      this.maybeRefit();
    });
  }

  get owner(): boolean {
    return !this.follower;
  }

  /** Role elected: this instance won (true) or lost (false) the election of the refit owner. */
  setOwner(owner: boolean): void {
    if (this.follower === !owner) return;
    this.follower = !owner;
    this.ownerTerm++;
    // the window's topics came from instances on older models: its k-NN vote waits for this owner's own refit
    this.ownRefitApplied = !owner;
    this.centroidAssigner.setCentroids(this.model.centroids);
    this.deps.log.info({ modelVersion: this.modelVersion, windowDocs: this.window.size }, owner ? 'elected refit owner' : 'following the refit owner');
    this.emit('role', { owner });
  }

  /** Starts a refit when enough new documents (or time) have passed and none is running. */
  maybeRefit(force = false): Promise<void> | null {
    if (this.refitting || this.closed || this.follower) return this.refitting;
    const r = this.deps.config.stream.refit;
    if (this.window.size < Math.min(r.minDocs, this.deps.config.stream.window.maxDocs)) return null;
    const byDocs = this.docsSinceRefit >= r.everyDocs;
    const byTime = r.everySeconds > 0 && this.docsSinceRefit > 0 && Date.now() - this.lastRefitAt >= r.everySeconds * 1000;
    if (!force && !byDocs && !byTime) return null;
    if (force && this.docsSinceRefit === 0 && this.modelVersion > 0) return null;
    this.docsSinceRefit = 0;
    this.lastRefitAt = Date.now();
    this.refitting = this.refit()
      .catch((error: unknown) => {
        if (error instanceof RefitAbandoned) return this.deps.log.info({ reason: error.message }, 'refit abandoned');
        this.emit('refitFailed', { error });
        this.deps.log.error({ err: error }, 'refit failed; the previous topics stay in force');
      })
      .finally(() => {
        this.refitting = null;
      });
    return this.refitting;
  }

  private async refit(): Promise<void> {
    const { config, refitter, sink, log, embedder } = this.deps;
    const term = this.ownerTerm;
    const { summary, plan } = await runRefit({
      config, refitter, sink, log, modelId: embedder.modelId, window: this.window, index: this.index, model: this.model, lock: this.lock, closed: () => this.closed || this.ownerTerm !== term, wordEmbedder: embedder,
    });
    this.ownRefitApplied = true;
    log.info({ version: summary.modelVersion, topics: summary.topics, outliers: summary.outliers, events: summary.events.length, changed: summary.changed, keptShare: roundTo(summary.persistence.kept, 3), keptCeiling: roundTo(summary.persistence.ceiling, 3), seconds: roundTo(summary.seconds.total!, 2), applySeconds: roundTo(summary.seconds.apply!, 3), mainSeconds: roundTo(summary.seconds.main!, 3) }, 'refit applied');
    this.emit('refit', { ...summary, reassigned: plan.messages.assignments.length });
  }

  /** Waits for a running refit, if any. */
  async idle(): Promise<void> {
    while (this.refitting) await this.refitting;
  }

  /** Followers: take over the model the refit owner published (ids, words, centroids); older or same versions are ignored. */
  adoptModel(m: PublishedModel): boolean {
    if (m.dim !== this.window.dim || m.model_id !== this.deps.embedder.modelId) {
      this.deps.log.error({ dim: m.dim, expected: this.window.dim, model: m.model_id, ours: this.deps.embedder.modelId }, 'ignoring a model published by another embedding model or dimension');
      return false;
    }
    if (!this.model.adopt(m)) return false;
    this.centroidAssigner.setCentroids(this.model.centroids);
    this.emit('modelAdopted', { version: m.model_version, topics: m.topics.length });
    this.deps.log.info({ version: m.model_version, topics: m.topics.length }, 'adopted the published model');
    return true;
  }

  /** After a lost or older snapshot: never go back below what was already published. */
  raiseCounters(modelVersion: number, nextTopicId: number): void {
    this.model.raiseCounters(modelVersion, nextTopicId);
  }

  /** A user's label for a topic (null: automatic again), on topic-updates; the registry is read in the lock (a refit may swap it). */
  readonly setLabel = (id: number, label: string | null): Promise<TopicState | undefined> =>
    this.lock.run(() => publishLabel({ registry: this.registry, window: this.window, sink: this.deps.sink, modelVersion: this.modelVersion, topNWords: this.deps.config.ctfidf.topNWords }, id, label));

  /** Everything a snapshot holds, at one instant (docs/design.md, "Snapshot format"). */
  snapshot(): ProcessorSnapshot {
    const view = this.window.view();
    const m = this.model;
    const state = processorState({ modelVersion: m.version, nextTopicId: this.registry.nextId, prior: m.prior, centroids: m.centroids, offsets: this.offsets });
    return { docs: view.docs, vectors: view.embeddings, dim: this.window.dim, topics: this.registry.all(), state };
  }

  /** Loads a window from a snapshot: documents with their vectors and topics, no re-embedding. */
  restore(s: ProcessorSnapshot): void {
    this.index.load(s.docs, s.vectors);
    this.model.restore(TopicRegistry.fromJSON(s.topics, s.state.nextTopicId), s.state);
    this.centroidAssigner.setCentroids(this.model.centroids);
    for (const [p, o] of Object.entries(s.state.offsets)) this.offsets.set(Number(p), o);
  }

  /** Stops refits; waits for a running one (the refitter's deadline bounds it). */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}
