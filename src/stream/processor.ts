/**
 * The streaming processor: a coordinator over small parts (docs/design.md, "The data path").
 *   source batch → triage (bad → DLQ) → embed → assign by k-NN → window → sinks
 *   every N docs or T s: refit (worker) → plan (pure) → publish → apply
 * A batch's handler resolves only when its outputs are durable, so the source commits offsets after
 * that (at-least-once). Batches and the publish-and-apply step of a refit take turns (one mutex);
 * the refit's heavy stages run in a worker meanwhile and never block ingestion.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Embedder } from '../core/types.js';
import { Mutex } from '../core/mutex.js';
import { roundTo } from '../core/round.js';
import { HnswIndex } from '../knn/hnswIndex.js';
import { hnswOptions } from '../pipeline/components.js';
import type { Doc } from '../core/types.js';
import type { Rejection } from '../io/validate.js';
import type { OutMessage, RawRecord, Sink } from './types.js';
import { WindowStore } from './window/windowStore.js';
import { KnnAssigner, type Assignment } from './assign/knnAssigner.js';
import { CentroidAssigner } from './assign/centroidAssigner.js';
import { decodeCentroid, type PublishedModel } from './model/modelMessage.js';
import { TopicRegistry } from './topicRegistry.js';
import { assignmentMessage, dlqMessage } from './messages.js';
import type { Refitter, TopicTermCounts } from './refit/types.js';
import type { RefitSummary } from './refit/summary.js';
import { matchTopics } from './identity/matchTopics.js';
import { planRefit, applyDocTopics, type RefitPlan } from './refit/planRefit.js';
import { centroidsOf } from './refit/centroids.js';
import { triageBatch } from './triage.js';
import { fitsOutput } from './outputLimits.js';
import { errorMessage, isTransient } from './errors.js';
import type { StreamMetrics } from './streamMetrics.js';

export type { RefitSummary };

export interface ProcessorDeps {
  config: Config;
  embedder: Embedder;
  sink: Sink;
  refitter: Refitter;
  log: Logger;
  metrics?: StreamMetrics;
  /** called after every refit is applied (snapshots, console output) */
  onRefit?: (summary: RefitSummary) => void | Promise<void>;
}

/** What a snapshot holds besides the window's documents and vectors. */
export interface ProcessorState {
  modelVersion: number;
  nextTopicId: number;
  prior?: TopicTermCounts;
  centroids: Record<string, number[]>;
  /** per partition, the offset of the last record handled */
  offsets: Record<string, string>;
}

export class StreamProcessor {
  readonly window: WindowStore;
  registry = new TopicRegistry();
  index: HnswIndex;
  private assigner: KnnAssigner;
  /** follower instances assign by the centroids of the published model */
  private readonly centroidAssigner: CentroidAssigner;
  private readonly follower: boolean;
  modelVersion = 0;
  /** the highest version a refit tried to publish (a failed publish burns its version and ids) */
  private versionTried = 0;
  private docsSinceRefit = 0;
  private lastRefitAt = Date.now();
  private refitting: Promise<void> | null = null;
  private prior: TopicTermCounts | undefined;
  private centroids = new Map<number, Float32Array>();
  private readonly lock = new Mutex();
  /** per partition: offset of the last record whose outputs are durable */
  readonly offsets = new Map<number, string>();
  private closed = false;
  refitFailures = 0;
  lastRefit: RefitSummary | undefined;
  /** epoch ms of the last batch that completed (for the stuck check) */
  lastProgressAt = Date.now();
  /** running totals, for the status API and the console */
  readonly stats = { consumed: 0, invalid: 0, duplicates: 0, assigned: 0 };

  constructor(private readonly deps: ProcessorDeps) {
    const { config } = deps;
    this.window = new WindowStore(config.stream.window.maxDocs, deps.embedder.dim, config.stream.window.maxBytes);
    this.index = this.newIndex();
    this.assigner = this.newAssigner();
    this.follower = config.stream.role === 'follower';
    this.centroidAssigner = new CentroidAssigner(deps.embedder.dim, config.stream.assign.minSimilarity);
  }

  private newIndex(): HnswIndex {
    return new HnswIndex(this.deps.embedder.dim, Math.min(this.deps.config.stream.window.maxDocs + 1024, 1 << 16), hnswOptions(this.deps.config));
  }

  private newAssigner(topicOf: (seq: number) => number | undefined = (seq) => this.window.docOfSeq(seq)?.topic): KnnAssigner {
    const a = this.deps.config.stream.assign;
    return new KnnAssigner(this.index, topicOf, a.k, a.minSimilarity, a.minShare);
  }

  /**
   * Handles one batch of raw records; resolves when every output of the batch is durable. A batch
   * that fails for a record's sake is split, and a record that fails maxRecordAttempts times goes to
   * the DLQ; a transient failure (broker away) rejects, and the source delivers the batch again.
   */
  async handleBatch(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.lock.run(() => this.processBatch(records));
    } catch (e) {
      if (isTransient(e) || this.closed) throw e;
      if (records.length > 1) {
        this.deps.log.warn({ err: e, partition: records[0]!.partition, from: records[0]!.offset, records: records.length }, 'a batch failed; handling its records one at a time');
        for (const r of records) await this.handleBatch([r]);
        return;
      }
      await this.retryOrDeadLetter(records[0]!, e);
    }
  }

  private async retryOrDeadLetter(rec: RawRecord, first: unknown): Promise<void> {
    const attempts = this.deps.config.stream.maxRecordAttempts;
    let last = first;
    for (let attempt = 2; attempt <= attempts; attempt++) {
      try {
        await this.lock.run(() => this.processBatch([rec]));
        return;
      } catch (e) {
        if (isTransient(e) || this.closed) throw e;
        last = e;
      }
    }
    this.deps.log.error({ err: last, partition: rec.partition, offset: rec.offset, attempts }, 'a record failed every attempt; sending it to the DLQ');
    await this.lock.run(async () => {
      await this.deps.sink.send('dlq', [dlqMessage(rec, { reason: 'processing_failed', message: `failed ${attempts} times: ${errorMessage(last)}` })]);
      this.countRejected('processing_failed', 1);
      this.finishBatch([rec]);
    });
  }

  private async processBatch(records: RawRecord[]): Promise<void> {
    const cfg = this.deps.config;
    const m = this.deps.metrics;
    const t = triageBatch(records, (id) => this.window.get(id), { fields: { ...cfg.input }, maxMessageBytes: cfg.kafka.maxMessageBytes });
    const rejected = [...t.rejected];
    const assignments: OutMessage[] = t.replayed.map((d) => assignmentMessage(d.id, d.topic, d.probability, this.modelVersion, 'knn'));
    // documents join the window only once their outputs are durable: a failed send leaves no trace,
    // and a snapshot never holds a document whose assignment was not delivered
    const accepted: Array<{ doc: Doc; vec: Float32Array; a: Assignment; rec: RawRecord }> = [];
    if (t.fresh.length) {
      const t0 = performance.now();
      const emb = await this.deps.embedder.embed(t.fresh.map((f) => f.doc.text));
      m?.embedSeconds.observe((performance.now() - t0) / 1000);
      m?.embedBatch.observe(t.fresh.length);
      for (let i = 0; i < t.fresh.length; i++) {
        const { doc, rec } = t.fresh[i]!;
        const vec = emb.data.subarray(i * emb.cols, (i + 1) * emb.cols);
        const a = this.assign(vec);
        const msg = assignmentMessage(doc.id, a.topic, a.probability, this.modelVersion, 'knn');
        if (!fitsOutput(msg, cfg.kafka.maxOutputBytes)) {
          rejected.push({ rec, rejection: { reason: 'output_too_large', message: `its assignment would be ${Buffer.byteLength(msg.value)} bytes; the output limit is ${cfg.kafka.maxOutputBytes} (kafka.maxOutputBytes)` } });
          continue;
        }
        accepted.push({ doc, vec, a, rec });
        assignments.push(msg);
      }
    }
    await Promise.all([
      assignments.length ? this.deps.sink.send('assignments', assignments) : undefined,
      rejected.length ? this.deps.sink.send('dlq', rejected.map((r) => dlqMessage(r.rec, r.rejection))) : undefined,
    ]);
    const now = Date.now();
    for (const { doc, vec, a, rec } of accepted) {
      this.addToWindow(doc, vec, a, rec, now);
      if (a.topic === -1) m?.outliersAssigned.inc();
    }
    const assigned = accepted.length;
    this.docsSinceRefit += assigned;
    this.evictByAge();
    const sendDone = Date.now();
    for (const { rec } of t.fresh) m?.latency.observe(Math.max(0, sendDone - rec.timestamp) / 1000);
    for (const r of rejected) this.countRejected(r.rejection.reason, 1);
    m?.duplicates.inc(t.duplicates);
    m?.assigned.inc({ method: 'knn' }, assigned);
    this.stats.duplicates += t.duplicates;
    this.stats.assigned += assigned;
    this.finishBatch(records);
    this.maybeRefit();
  }

  private countRejected(reason: Rejection['reason'], n: number): void {
    this.deps.metrics?.invalid.inc({ reason }, n);
    this.stats.invalid += n;
  }

  /** Bookkeeping once a batch's outputs are durable. */
  private finishBatch(records: RawRecord[]): void {
    this.deps.metrics?.consumed.inc(records.length);
    this.stats.consumed += records.length;
    for (const rec of records) this.offsets.set(rec.partition, rec.offset);
    this.lastProgressAt = Date.now();
    this.rebuildIndexIfSparse();
    this.deps.metrics?.windowSize.set(this.window.size);
  }

  /** Assigns a vector against the current window without adding it (search API). */
  assign(vec: Float32Array): Assignment {
    return this.follower ? this.centroidAssigner.assign(vec) : this.assigner.assign(vec);
  }

  private addToWindow(doc: Doc, vec: Float32Array, a: Assignment, rec: RawRecord, now: number): void {
    const { added, evicted } = this.window.add(doc, vec, a.topic, a.probability, rec.partition, rec.offset, now);
    for (const d of evicted) this.forget(d.seq, d.topic);
    if (!added) return;
    this.index.add(added.seq, vec);
    this.registry.ensure(a.topic, this.modelVersion);
    this.registry.inc(a.topic);
  }

  private evictByAge(): void {
    const maxAge = this.deps.config.stream.window.maxAgeSeconds;
    if (maxAge <= 0) return;
    const b = this.window.bounds();
    if (b) for (const d of this.window.evictOlderThan(b.end - maxAge * 1000)) this.forget(d.seq, d.topic);
  }

  private forget(seq: number, topic: number): void {
    this.index.markDelete(seq);
    this.registry.dec(topic);
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
    this.refitting = this.refit()
      .catch((e: unknown) => {
        this.refitFailures++;
        this.deps.metrics?.refitFailures.inc();
        this.deps.log.error({ err: e }, 'refit failed; the previous topics stay in force');
      })
      .finally(() => {
        this.refitting = null;
      });
    return this.refitting;
  }

  /** Waits for a running refit, if any. */
  async idle(): Promise<void> {
    while (this.refitting) await this.refitting;
  }

  private async refit(): Promise<void> {
    const cfg = this.deps.config;
    const t0 = performance.now();
    this.docsSinceRefit = 0;
    this.lastRefitAt = Date.now();
    const view = this.window.view();
    const n = view.docs.length;
    const dim = this.window.dim;
    const version = Math.max(this.modelVersion, this.versionTried) + 1;
    this.deps.log.info({ version, windowDocs: n }, 'refit started');
    const clustered = await this.deps.refitter.cluster({ embeddings: view.embeddings, n, dim, seed: cfg.seed + version });
    // match new clusters to the topics the documents have now (only refits change them)
    const prev = Int32Array.from(view.docs, (d) => d.topic);
    const newCentroids = centroidsOf(clustered.labels, view.embeddings, dim);
    const activeOld = this.registry.active().map((t) => t.id);
    const match = matchTopics(
      { prev, next: clustered.labels, activeOld, nextId: this.registry.nextId, oldCentroids: this.centroids, newCentroids },
      cfg.stream.matching,
    );
    const topicIds = Int32Array.from(clustered.labels, (l) => (l < 0 ? -1 : match.idOf.get(l)!));
    // c-TF-IDF on the window, with the previous window's counts decayed in
    const prior = cfg.stream.decay > 0 ? this.prior : undefined;
    const described = await this.deps.refitter.describe({ texts: view.docs.map((d) => d.text), topics: topicIds, prior, decay: cfg.stream.decay, seed: cfg.seed });
    if (this.closed) throw new Error('stopping: refit abandoned before publishing');
    const summary = await this.lock.run(async () => {
      const plan = planRefit({
        version, now: new Date(), view, window: this.window, registry: this.registry, centroids: this.centroids,
        clustered, match, topicIds, newCentroids, described, modelId: this.deps.embedder.modelId, topNWords: cfg.ctfidf.topNWords,
        assign: (vec, topicOf) => this.newAssigner(topicOf).assign(vec),
      });
      this.versionTried = version;
      try {
        await this.publish(plan);
      } catch (e) {
        // ids and the version may have reached consumers: never hand them out again
        this.registry.nextId = Math.max(this.registry.nextId, plan.registry.nextId);
        throw e;
      }
      const seconds = { ...clustered.seconds, ctfidf: described.seconds, total: (performance.now() - t0) / 1000 };
      return this.applyPlan(plan, seconds);
    });
    await this.deps.onRefit?.(summary);
  }

  /** Publishes a plan's messages; resolves once all are durable. */
  private async publish(plan: RefitPlan): Promise<void> {
    const { models, updates, events, assignments } = plan.messages;
    const limit = this.deps.config.kafka.maxOutputBytes;
    const sendModels = models.filter((msg) => fitsOutput(msg, limit));
    if (sendModels.length < models.length) this.deps.log.error({ version: plan.version, limit }, 'the model message is larger than kafka.maxOutputBytes; followers keep the previous model');
    await Promise.all([
      sendModels.length ? this.deps.sink.send('models', sendModels) : undefined,
      this.deps.sink.send('updates', updates),
      events.length ? this.deps.sink.send('events', events) : undefined,
      assignments.length ? this.deps.sink.send('assignments', assignments) : undefined,
    ]);
  }

  /** Makes a published plan the live model. */
  private applyPlan(plan: RefitPlan, seconds: Record<string, number>): RefitSummary {
    applyDocTopics(this.window, plan.docTopics);
    this.registry = plan.registry;
    this.registry.pruneRetired(this.deps.config.stream.retiredTopicsKept);
    this.centroids = plan.centroids;
    this.prior = plan.prior;
    this.modelVersion = plan.version;
    this.deps.metrics?.assigned.inc({ method: 'refit' }, plan.messages.assignments.length);
    this.rebuildIndexIfSparse();
    const summary: RefitSummary = { ...plan.summary, seconds };
    this.lastRefit = summary;
    this.deps.metrics?.observeRefit(summary);
    this.deps.log.info(
      { version: plan.version, topics: summary.topics, outliers: summary.outliers, events: summary.events.length, changed: summary.changed, seconds: roundTo(seconds.total!, 2) },
      'refit applied',
    );
    return summary;
  }

  /**
   * Follower instances: take over the model the refit owner published (topic ids, words, centroids).
   * Older or same versions are ignored; returns whether the model was adopted.
   */
  adoptModel(m: PublishedModel): boolean {
    if (m.dim !== this.window.dim) {
      this.deps.log.error({ dim: m.dim, expected: this.window.dim, model: m.model_id }, 'ignoring a published model of another dimension');
      return false;
    }
    if (m.model_version <= this.modelVersion) return false;
    const centroids = new Map<number, Float32Array>();
    const live = new Set<number>();
    for (const t of m.topics) {
      centroids.set(t.id, decodeCentroid(t.centroid, m.dim));
      live.add(t.id);
      const s = this.registry.ensure(t.id, m.model_version, t.parent);
      s.status = 'active';
      s.version = m.model_version;
      s.bornVersion = t.born_version;
      this.registry.setWords(t.id, t.words);
    }
    for (const t of this.registry.active()) if (!live.has(t.id)) this.registry.retire(t.id, m.model_version);
    this.registry.ensure(-1, m.model_version);
    this.registry.pruneRetired(this.deps.config.stream.retiredTopicsKept);
    this.centroids = centroids;
    this.centroidAssigner.setCentroids(centroids);
    this.modelVersion = m.model_version;
    this.deps.metrics?.modelVersion.set(m.model_version);
    this.deps.metrics?.activeTopics.set(live.size);
    this.deps.log.info({ version: m.model_version, topics: live.size }, 'adopted the published model');
    return true;
  }

  /** Deleted points keep their slot in HNSW; rebuild from the window once they outnumber the live ones (any role). */
  private rebuildIndexIfSparse(): void {
    const cap = this.index.capacity;
    if (cap < 2 * (this.window.size + 1024)) return;
    const idx = this.newIndex();
    for (const d of this.window.iterate()) idx.add(d.seq, this.window.vectorOfSeq(d.seq)!);
    this.index = idx;
    this.assigner = this.newAssigner();
  }

  /** Loads a window from a snapshot: documents with their vectors and topics, no re-embedding. */
  restore(docs: Array<{ seq: number; id: string; text: string; ts: number; topic: number; probability: number; partition: number; offset: string }>, vectors: Float32Array, registry: TopicRegistry, state: Omit<ProcessorState, 'nextTopicId' | 'centroids'> & { centroids?: Record<string, number[]> }): void {
    const dim = this.window.dim;
    docs.forEach((d, i) => {
      const vec = vectors.subarray(i * dim, (i + 1) * dim);
      const { added, evicted } = this.window.add({ id: d.id, text: d.text, ts: d.ts }, vec, d.topic, d.probability, d.partition, d.offset, d.ts, d.seq);
      for (const e of evicted) this.index.markDelete(e.seq);
      if (added) this.index.add(added.seq, vec);
    });
    this.registry = registry;
    this.modelVersion = state.modelVersion;
    this.prior = state.prior;
    this.centroids = new Map(Object.entries(state.centroids ?? {}).map(([k, v]) => [Number(k), Float32Array.from(v)]));
    this.centroidAssigner.setCentroids(this.centroids);
    for (const [p, o] of Object.entries(state.offsets)) this.offsets.set(Number(p), o);
  }

  /**
   * After a lost or older snapshot: never go back below what was already published (the compacted
   * topics hold it), so followers keep adopting our models and topic ids are never reused.
   */
  raiseCounters(modelVersion: number, nextTopicId: number): void {
    if (modelVersion > this.modelVersion) this.modelVersion = modelVersion;
    if (nextTopicId > this.registry.nextId) this.registry.nextId = nextTopicId;
  }

  exportState(): ProcessorState {
    return {
      modelVersion: this.modelVersion,
      nextTopicId: this.registry.nextId,
      prior: this.prior,
      centroids: Object.fromEntries([...this.centroids].map(([k, v]) => [String(k), Array.from(v)])),
      offsets: Object.fromEntries([...this.offsets].map(([p, o]) => [String(p), o])),
    };
  }

  /** Stops refits; waits for a running one (the refitter's deadline bounds it). */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}
