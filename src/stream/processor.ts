/**
 * The streaming processor. Data flows one way:
 *   source batch → validate (bad → DLQ) → embed → assign by k-NN → window → (every N docs or T s) refit → sinks
 * A batch's handler resolves only when its outputs are durable, so the source commits offsets after
 * that (at-least-once). Refits run off the main thread and never block ingestion; their results are
 * applied between batches.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Embedder } from '../core/types.js';

import { HnswIndex } from '../knn/hnswIndex.js';
import { validateRecord, type FieldOptions, type RejectReason } from '../io/validate.js';
import type { Doc } from '../core/types.js';
import type { OutMessage, RawRecord, Sink } from './types.js';
import { WindowStore } from './window/windowStore.js';
import { KnnAssigner, type Assignment } from './assign/knnAssigner.js';
import { CentroidAssigner } from './assign/centroidAssigner.js';
import { modelMessage, encodeCentroid, decodeCentroid, type PublishedModel } from './model/modelMessage.js';
import { TopicRegistry, type TopicState } from './topicRegistry.js';
import { assignmentMessage, dlqMessage, topicEventMessage, topicUpdateMessage, type TopicEvent } from './messages.js';
import type { Refitter, TopicTermCounts } from './refit/types.js';
import { matchTopics } from './identity/matchTopics.js';
import type { StreamMetrics } from './streamMetrics.js';

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

export interface RefitSummary {
  modelVersion: number;
  windowDocs: number;
  topics: number;
  outliers: number;
  events: TopicEvent[];
  changed: number;
  seconds: Record<string, number>;
  /** mean Jaccard overlap of topics that kept their id (NaN at the first refit) */
  stability: number;
}

export interface ProcessorState {
  modelVersion: number;
  docsSinceRefit: number;
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
  private docsSinceRefit = 0;
  private lastRefitAt = Date.now();
  private refitting: Promise<void> | null = null;
  private prior: TopicTermCounts | undefined;
  private centroids = new Map<number, Float32Array>();
  private readonly fields: FieldOptions;
  /** per partition: offset of the last record whose outputs are durable */
  readonly offsets = new Map<number, string>();
  private closed = false;
  refitFailures = 0;
  lastRefit: RefitSummary | undefined;
  /** running totals, for the status API and the console */
  readonly stats = { consumed: 0, invalid: 0, duplicates: 0, assigned: 0 };

  constructor(private readonly deps: ProcessorDeps) {
    const { config } = deps;
    this.fields = { ...config.input, maxTextChars: config.input.maxTextChars };
    this.window = new WindowStore(config.stream.window.maxDocs, deps.embedder.dim);
    this.index = this.newIndex();
    this.assigner = this.newAssigner();
    this.follower = config.stream.role === 'follower';
    this.centroidAssigner = new CentroidAssigner(deps.embedder.dim, config.stream.assign.minSimilarity);
  }

  private newIndex(): HnswIndex {
    const k = this.deps.config.knn;
    return new HnswIndex(this.deps.embedder.dim, Math.min(this.deps.config.stream.window.maxDocs + 1024, 1 << 16), {
      M: k.M,
      efConstruction: k.efConstruction,
      efSearch: k.efSearch,
      seed: this.deps.config.seed,
    });
  }

  private newAssigner(): KnnAssigner {
    const a = this.deps.config.stream.assign;
    return new KnnAssigner(this.index, (seq) => this.window.docOfSeq(seq)?.topic, a.k, a.minSimilarity, a.minShare);
  }

  /** Handles one batch of raw records; resolves when every output of the batch is durable. */
  async handleBatch(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return;
    const m = this.deps.metrics;
    const dlq: OutMessage[] = [];
    const fresh: Array<{ doc: Doc; rec: RawRecord }> = [];
    const replayed: OutMessage[] = [];
    const inBatch = new Map<string, string>();
    m?.consumed.inc(records.length);
    this.stats.consumed += records.length;
    for (const rec of records) {
      const reject = (reason: RejectReason, message: string) => {
        dlq.push(dlqMessage(rec, { reason, message }));
        m?.invalid.inc({ reason });
        this.stats.invalid++;
      };
      if (!rec.value || rec.value.length === 0) {
        reject('missing_text', 'the message has no value');
        continue;
      }
      if (rec.value.length > this.deps.config.kafka.maxMessageBytes) {
        reject('oversize', `the message is ${rec.value.length} bytes; the limit is ${this.deps.config.kafka.maxMessageBytes}`);
        continue;
      }
      const r = validateRecord(rec.value, this.fields, rec.key?.toString('utf8') || `${rec.topic}-${rec.partition}-${rec.offset}`);
      if (!r.ok) {
        reject(r.rejection.reason, r.rejection.message);
        continue;
      }
      const doc = r.doc;
      const known = this.window.get(doc.id);
      const sameBatch = inBatch.get(doc.id);
      if (known || sameBatch !== undefined) {
        // a redelivery (same id, same text) is answered again but not counted twice;
        // the same id with another text is a producer bug: dead-letter it
        const text = known ? known.text : sameBatch;
        if (text === doc.text) {
          if (known) replayed.push(assignmentMessage(doc.id, known.topic, known.probability, this.modelVersion, 'knn'));
          m?.duplicates.inc();
          this.stats.duplicates++;
        } else reject('duplicate_id', `id "${doc.id}" is already in the window with another text`);
        continue;
      }
      inBatch.set(doc.id, doc.text);
      fresh.push({ doc, rec });
    }

    const assignments: OutMessage[] = [...replayed];
    if (fresh.length) {
      const t0 = performance.now();
      const emb = await this.deps.embedder.embed(fresh.map((f) => f.doc.text));
      m?.embedSeconds.observe((performance.now() - t0) / 1000);
      m?.embedBatch.observe(fresh.length);
      const now = Date.now();
      for (let i = 0; i < fresh.length; i++) {
        const { doc, rec } = fresh[i]!;
        const vec = emb.data.subarray(i * emb.cols, (i + 1) * emb.cols);
        const a = this.assign(vec);
        this.addToWindow(doc, vec, a.topic, a.probability, rec, now);
        assignments.push(assignmentMessage(doc.id, a.topic, a.probability, this.modelVersion, 'knn'));
        m?.assigned.inc({ method: 'knn' });
        this.stats.assigned++;
        if (a.topic === -1) m?.outliersAssigned.inc();
      }
      this.docsSinceRefit += fresh.length;
    }
    const maxAge = this.deps.config.stream.window.maxAgeSeconds;
    if (maxAge > 0) {
      const b = this.window.bounds();
      if (b) for (const d of this.window.evictOlderThan(b.end - maxAge * 1000)) this.forget(d.seq, d.topic);
    }
    await Promise.all([
      assignments.length ? this.deps.sink.send('assignments', assignments) : undefined,
      dlq.length ? this.deps.sink.send('dlq', dlq) : undefined,
    ]);
    const sendDone = Date.now();
    for (const { rec } of fresh) m?.latency.observe(Math.max(0, sendDone - rec.timestamp) / 1000);
    for (const rec of records) this.offsets.set(rec.partition, rec.offset);
    m?.windowSize.set(this.window.size);
    this.maybeRefit();
  }

  /** Assigns a vector against the current window without adding it (search API). */
  assign(vec: Float32Array): Assignment {
    return this.follower ? this.centroidAssigner.assign(vec) : this.assigner.assign(vec);
  }

  private addToWindow(doc: Doc, vec: Float32Array, topic: number, probability: number, rec: RawRecord, now: number, seq?: number): void {
    const { added, evicted } = this.window.add(doc, vec, topic, probability, rec.partition, rec.offset, now, seq);
    if (evicted) this.forget(evicted.seq, evicted.topic);
    if (!added) return;
    this.index.add(added.seq, vec);
    this.registry.ensure(topic, this.modelVersion);
    this.registry.inc(topic);
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
        this.deps.log.error({ err: e }, 'refit failed; keeping the previous topics');
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
    const version = this.modelVersion + 1;
    this.deps.log.info({ version, windowDocs: n }, 'refit started');
    const clustered = await this.deps.refitter.cluster({ embeddings: view.embeddings, n, dim, seed: cfg.stream.seed + version });

    // match new clusters to the topics the documents had before
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) prev[i] = view.docs[i]!.topic;
    const newCentroids = centroidsOf(clustered.labels, view.embeddings, dim);
    const activeOld = this.registry.active().map((t) => t.id);
    const match = matchTopics(
      { prev, next: clustered.labels, activeOld, nextId: this.registry.nextId, oldCentroids: this.centroids, newCentroids },
      cfg.stream.matching,
    );
    const topicIds = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const l = clustered.labels[i]!;
      topicIds[i] = l < 0 ? -1 : match.idOf.get(l)!;
    }

    // c-TF-IDF on the window, with the previous window's counts decayed in
    const prior = cfg.stream.decay > 0 ? this.prior : undefined;
    const described = await this.deps.refitter.describe({ texts: view.docs.map((d) => d.text), topics: topicIds, prior, decay: cfg.stream.decay, seed: cfg.seed });
    this.prior = described.counts;

    // apply: documents still in the window take their new topic; sizes are recounted
    const now = new Date();
    const at = now.toISOString();
    const reassigned: OutMessage[] = [];
    const sizes = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const d = view.docs[i]!;
      const t = topicIds[i]!;
      const p = clustered.probabilities[i]!;
      const live = this.window.get(d.id);
      if (live && live.seq === d.seq) {
        if (live.topic !== t) reassigned.push(assignmentMessage(d.id, t, p, version, 'refit', now));
        live.topic = t;
        live.probability = p;
      }
    }
    this.modelVersion = version;
    this.registry.nextId = match.nextId;
    const events: TopicEvent[] = match.events.map((e) => ({ type: e.type, topic_id: e.topicId, related: e.related, model_version: version, at, details: e.details }));
    for (const e of match.events) {
      if (e.type === 'born' || e.type === 'split') this.registry.ensure(e.topicId, version, e.type === 'split' ? e.related[0] ?? null : null);
      if (e.type === 'died' || e.type === 'merged') this.registry.retire(e.topicId, version);
    }
    this.registry.ensure(-1, version);
    // documents that arrived while the refit ran were assigned against the old topics; those whose
    // topic just died or merged are assigned again against the new ones
    const lastSeq = n ? view.docs[n - 1]!.seq : -1;
    for (const d of this.window.iterate()) {
      if (d.seq <= lastSeq || d.topic === -1 || this.registry.get(d.topic)?.status === 'active') continue;
      d.topic = -1; // its own (stale) vote must not count
      const a = this.assign(this.window.vectorOfSeq(d.seq)!);
      d.topic = a.topic;
      d.probability = a.probability;
      reassigned.push(assignmentMessage(d.id, a.topic, a.probability, version, 'refit', now));
    }
    for (const d of this.window.iterate()) sizes.set(d.topic, (sizes.get(d.topic) ?? 0) + 1);
    const newCentroidById = new Map<number, Float32Array>();
    for (const [label, c] of newCentroids) newCentroidById.set(match.idOf.get(label)!, c);
    for (const [id, c] of newCentroidById) this.centroids.set(id, c);
    for (const e of match.events) if (e.type === 'died' || e.type === 'merged') this.centroids.delete(e.topicId);
    const bounds = this.window.bounds();
    const windowInfo = { start: bounds ? new Date(bounds.start).toISOString() : null, end: bounds ? new Date(bounds.end).toISOString() : null, docs: this.window.size };
    const update = (t: TopicState): OutMessage =>
      topicUpdateMessage({
        topic_id: t.id,
        status: t.status,
        label: t.label,
        size: t.size,
        words: t.words.slice(0, cfg.ctfidf.topNWords),
        representative_doc_ids: t.representativeDocIds,
        representative_docs: t.representativeDocs,
        window: windowInfo,
        model_version: version,
        parent: t.parent,
        born_version: t.bornVersion,
        updated_at: at,
      });
    const updates: OutMessage[] = [];
    const activeIds = new Set<number>([-1, ...newCentroidById.keys()]);
    for (const id of activeIds) {
      const t = this.registry.ensure(id, version);
      t.status = 'active';
      t.version = version;
      t.size = sizes.get(id) ?? 0;
      t.recent = 0;
      this.registry.setWords(id, described.words[String(id)] ?? []);
      const reps = described.representatives[String(id)] ?? [];
      t.representativeDocIds = reps.map((i) => view.docs[i]!.id);
      t.representativeDocs = reps.map((i) => view.docs[i]!.text.slice(0, 500));
      updates.push(update(t));
    }
    for (const e of match.events) {
      const t = e.type === 'died' || e.type === 'merged' ? this.registry.get(e.topicId) : undefined;
      if (t) updates.push(update(t));
    }
    const published: PublishedModel = {
      model_version: version,
      model_id: this.deps.embedder.modelId,
      dim,
      at,
      topics: [...newCentroidById].map(([id, c]) => {
        const t = this.registry.get(id)!;
        return { id, label: t.label, size: t.size, words: t.words.slice(0, cfg.ctfidf.topNWords), parent: t.parent, born_version: t.bornVersion, centroid: encodeCentroid(c) };
      }),
    };
    await Promise.all([
      this.deps.sink.send('models', [modelMessage(published)]),
      this.deps.sink.send('updates', updates),
      events.length ? this.deps.sink.send('events', events.map(topicEventMessage)) : undefined,
      reassigned.length ? this.deps.sink.send('assignments', reassigned) : undefined,
    ]);
    this.deps.metrics?.assigned.inc({ method: 'refit' }, reassigned.length);
    this.rebuildIndexIfSparse();
    const seconds = { ...clustered.seconds, ctfidf: described.seconds, total: (performance.now() - t0) / 1000 };
    const summary: RefitSummary = {
      modelVersion: version,
      windowDocs: n,
      topics: activeIds.size - 1,
      outliers: sizes.get(-1) ?? 0,
      events,
      changed: reassigned.length,
      seconds,
      stability: match.persisted.length ? match.persisted.reduce((s, p) => s + p.jaccard, 0) / match.persisted.length : Number.NaN,
    };
    this.lastRefit = summary;
    this.deps.metrics?.observeRefit(summary);
    this.deps.log.info({ version, topics: summary.topics, outliers: summary.outliers, events: events.length, changed: reassigned.length, seconds: round2(seconds.total) }, 'refit applied');
    await this.deps.onRefit?.(summary);
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
    this.centroids = centroids;
    this.centroidAssigner.setCentroids(centroids);
    this.modelVersion = m.model_version;
    this.deps.metrics?.modelVersion.set(m.model_version);
    this.deps.metrics?.activeTopics.set(live.size);
    this.deps.log.info({ version: m.model_version, topics: live.size }, 'adopted the published model');
    return true;
  }

  /** Deleted points keep their slot in HNSW; rebuild from the window once they outnumber the live ones. */
  private rebuildIndexIfSparse(): void {
    const cap = this.index.capacity;
    if (cap < 2 * (this.window.size + 1024)) return;
    const idx = this.newIndex();
    for (const d of this.window.iterate()) idx.add(d.seq, this.window.vectorOfSeq(d.seq)!);
    this.index = idx;
    this.assigner = this.newAssigner();
  }

  /** Loads a window from a snapshot: documents with their vectors and topics, no re-embedding. */
  restore(docs: Array<{ seq: number; id: string; text: string; ts: number; topic: number; probability: number; partition: number; offset: string }>, vectors: Float32Array, registry: TopicRegistry, state: { modelVersion: number; prior?: TopicTermCounts; centroids?: Record<string, number[]>; offsets: Record<string, string> }): void {
    const dim = this.window.dim;
    docs.forEach((d, i) => {
      const vec = vectors.subarray(i * dim, (i + 1) * dim);
      const { added } = this.window.add({ id: d.id, text: d.text, ts: d.ts }, vec, d.topic, d.probability, d.partition, d.offset, d.ts, d.seq);
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

  exportState() {
    return {
      modelVersion: this.modelVersion,
      nextTopicId: this.registry.nextId,
      prior: this.prior,
      centroids: Object.fromEntries([...this.centroids].map(([k, v]) => [String(k), Array.from(v)])),
      offsets: Object.fromEntries([...this.offsets].map(([p, o]) => [String(p), o])),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }
}

function centroidsOf(labels: Int32Array, emb: Float32Array, dim: number): Map<number, Float32Array> {
  const sums = new Map<number, Float32Array>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l < 0) continue;
    let s = sums.get(l);
    if (!s) sums.set(l, (s = new Float32Array(dim)));
    for (let j = 0; j < dim; j++) s[j] += emb[i * dim + j]!;
  }
  for (const s of sums.values()) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += s[j]! * s[j]!;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dim; j++) s[j] /= norm;
  }
  return sums;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

