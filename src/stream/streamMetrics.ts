/**
 * Prometheus metrics of the service (prefix topicstream_, Prometheus naming). One registry per
 * service instance, so tests can run several side by side. README.md explains each metric.
 */
import client from 'prom-client';
import type { RefitSummary } from './refit/summary.js';
import type { BatchEvent } from './processorEvents.js';
import type { StreamProcessor } from './processor.js';
import { TrendMetrics, type TrendUpdates } from './trendMetrics.js';

export const TOP_TOPICS_LABELLED = 10;
/** Words of a topic shown in topicstream_topic_info's `words` label. */
const INFO_WORDS = 5;

export class StreamMetrics {
  readonly registry = new client.Registry();
  /** growth and signal per topic, forming topics, emerging/fading events (set by listenTrend) */
  readonly trend = new TrendMetrics(this.registry);
  readonly consumed: client.Counter;
  readonly invalid: client.Counter<'reason'>;
  readonly duplicates: client.Counter;
  readonly assigned: client.Counter<'method'>;
  readonly outliersAssigned: client.Counter;
  readonly outliersReduced: client.Counter;
  readonly embedSeconds: client.Histogram;
  readonly embedBatch: client.Histogram;
  readonly latency: client.Histogram;
  readonly refitSeconds: client.Histogram<'stage'>;
  readonly refits: client.Counter;
  readonly refitFailures: client.Counter;
  readonly activeTopics: client.Gauge;
  readonly outlierRatio: client.Gauge;
  readonly windowSize: client.Gauge;
  readonly modelVersion: client.Gauge;
  readonly topicStability: client.Gauge;
  readonly persistence: client.Gauge<'kind'>;
  readonly lag: client.Gauge<'partition'>;
  readonly snapshotAge: client.Gauge;
  readonly snapshotFailures: client.Counter;
  readonly snapshotLastSuccess: client.Gauge;
  readonly topicDocs: client.Gauge<'topic'>;
  readonly topicEvents: client.Counter<'type'>;
  readonly topicInfo: client.Gauge<'topic' | 'label' | 'words'>;
  /** the active topics, read at each scrape (set by listen) */
  private activeTopicsNow: (() => Array<{ id: number; label: string; size: number; words: ReadonlyArray<{ word: string }> }>) | undefined;
  readonly ready: client.Gauge<'check'>;
  readonly role: client.Gauge<'role'>;
  readonly buildInfo: client.Gauge<'version' | 'model'>;
  readonly workerEvents: client.Counter<'pool' | 'type'>;
  lastSnapshotAt = 0;

  constructor(withDefaults = true) {
    const r = this.registry;
    const p = 'topicstream_';
    if (withDefaults) client.collectDefaultMetrics({ register: r, prefix: p });
    this.consumed = new client.Counter({ name: `${p}documents_consumed_total`, help: 'Input records read from the source (valid or not)', registers: [r] });
    this.invalid = new client.Counter({ name: `${p}documents_invalid_total`, help: 'Input records rejected to the dead-letter topic, by reason', labelNames: ['reason'], registers: [r] });
    this.duplicates = new client.Counter({ name: `${p}documents_duplicate_total`, help: 'Redelivered documents (same id and text) answered again but not counted twice', registers: [r] });
    this.assigned = new client.Counter({ name: `${p}documents_assigned_total`, help: 'Topic assignments published, by method (knn at arrival, refit when a refit changed the topic)', labelNames: ['method'], registers: [r] });
    this.outliersAssigned = new client.Counter({ name: `${p}documents_outlier_total`, help: 'Documents assigned to the outlier topic -1 at arrival', registers: [r] });
    this.outliersReduced = new client.Counter({ name: `${p}outliers_reduced_total`, help: 'Documents the k-NN vote made outliers that outlier reduction gave their nearest topic at arrival (stream.assign.reduceOutliers)', registers: [r] });
    this.embedSeconds = new client.Histogram({ name: `${p}embed_seconds`, help: 'Time to embed one batch', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [r] });
    this.embedBatch = new client.Histogram({ name: `${p}embed_batch_size`, help: 'Documents per embedding batch', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [r] });
    this.latency = new client.Histogram({ name: `${p}assignment_latency_seconds`, help: 'From the record timestamp to its assignment being durable', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [r] });
    this.refitSeconds = new client.Histogram({ name: `${p}refit_duration_seconds`, help: 'Refit wall time by stage (knn, umap, hdbscan, ctfidf, total)', labelNames: ['stage'], buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers: [r] });
    this.refits = new client.Counter({ name: `${p}refits_total`, help: 'Refits applied', registers: [r] });
    this.refitFailures = new client.Counter({ name: `${p}refit_failures_total`, help: 'Refits that failed (the previous topics stay)', registers: [r] });
    this.activeTopics = new client.Gauge({ name: `${p}active_topics`, help: 'Topics active after the last refit (outliers excluded)', registers: [r] });
    this.outlierRatio = new client.Gauge({ name: `${p}outlier_ratio`, help: 'Share of window documents in the outlier topic after the last refit', registers: [r] });
    this.windowSize = new client.Gauge({ name: `${p}window_documents`, help: 'Documents in the sliding window', registers: [r] });
    this.modelVersion = new client.Gauge({ name: `${p}model_version`, help: 'Model version (number of refits applied)', registers: [r] });
    this.topicStability = new client.Gauge({ name: `${p}topic_stability_jaccard`, help: 'Mean Jaccard overlap of topics that kept their id at the last refit', registers: [r] });
    this.persistence = new client.Gauge({ name: `${p}document_persistence_ratio`, help: 'At the last refit, of the documents in a topic before it and still in the window: kind="kept" kept their topic id, "ceiling" the most any relabelling of the new clusters could keep, "outliers" became outliers', labelNames: ['kind'], registers: [r] });
    this.lag = new client.Gauge({ name: `${p}consumer_lag`, help: 'Records behind the end of the input, per partition', labelNames: ['partition'], registers: [r] });
    this.snapshotAge = new client.Gauge({
      name: `${p}snapshot_age_seconds`,
      help: 'Seconds since the last state snapshot (-1 before the first)',
      registers: [r],
      collect: () => {
        this.snapshotAge.set(this.lastSnapshotAt ? (Date.now() - this.lastSnapshotAt) / 1000 : -1);
      },
    });
    this.snapshotFailures = new client.Counter({ name: `${p}snapshot_failures_total`, help: 'State snapshots that failed (disk full, read-only, I/O error); consumption goes on', registers: [r] });
    this.snapshotLastSuccess = new client.Gauge({ name: `${p}snapshot_last_success_timestamp_seconds`, help: 'Unix time of the last state snapshot written by this process (0 before the first)', registers: [r] });
    this.topicDocs = new client.Gauge({
      name: `${p}topic_documents`,
      help: `Window documents of the ${TOP_TOPICS_LABELLED} largest topics (bounded label set)`,
      labelNames: ['topic'],
      registers: [r],
      // live sizes at each scrape (they follow every assignment and eviction), once listening to a processor
      collect: () => {
        if (this.activeTopicsNow) this.setTopTopics(this.activeTopicsNow());
      },
    });
    this.ready = new client.Gauge({ name: `${p}ready`, help: 'Readiness checks (1 = passing): started, model_loaded, source_connected, has_model', labelNames: ['check'], registers: [r] });
    this.role = new client.Gauge({ name: `${p}role`, help: 'This instance\'s role (1 for the one it has): owner (refits and publishes models) or follower (adopts them)', labelNames: ['role'], registers: [r] });
    this.buildInfo = new client.Gauge({ name: `${p}build_info`, help: 'Always 1; labels carry the version and the embedding model', labelNames: ['version', 'model'], registers: [r] });
    this.workerEvents = new client.Counter({ name: `${p}worker_events_total`, help: 'Worker thread timeouts, deaths and replacements, by pool (embedding, refit) and type (timeout, crashed, restarted, restartLimited, loadFailed)', labelNames: ['pool', 'type'], registers: [r] });
    this.topicInfo = new client.Gauge({
      name: `${p}topic_info`,
      help: 'Always 1, one series per active topic; labels: topic id, label (the user label, or the automatic one) and top words. Join it for names: * on (topic) group_left(label) topicstream_topic_info',
      labelNames: ['topic', 'label', 'words'],
      registers: [r],
      collect: () => this.collectTopicInfo(),
    });
    this.topicEvents = new client.Counter({ name: `${p}topic_events_total`, help: 'Topic lifecycle events published, by type', labelNames: ['type'], registers: [r] });
  }

  /** Follows a processor's events (the processor never reaches into its metrics). */
  listen(p: StreamProcessor): void {
    this.activeTopicsNow = () => p.registry.active();
    p.on('batch', (e) => this.observeBatch(e));
    p.on('refit', (s) => {
      this.observeRefit(s);
      this.assigned.inc({ method: 'refit' }, s.reassigned);
    });
    p.on('refitFailed', () => this.refitFailures.inc());
    const role = (owner: boolean) => {
      this.role.set({ role: 'owner' }, owner ? 1 : 0);
      this.role.set({ role: 'follower' }, owner ? 0 : 1);
    };
    role(p.owner);
    p.on('role', (e) => role(e.owner));
    p.on('modelAdopted', (m) => {
      this.modelVersion.set(m.version);
      this.activeTopics.set(m.topics);
    });
  }

  /** Follows the emerging-topics monitor (src/service/trendWiring.ts's TrendWatch). */
  listenTrend(t: TrendUpdates): void {
    this.trend.listen(t);
  }

  private observeBatch(e: BatchEvent): void {
    this.consumed.inc(e.records);
    for (const reason of e.rejected) this.invalid.inc({ reason });
    if (e.duplicates) this.duplicates.inc(e.duplicates);
    if (e.assigned) this.assigned.inc({ method: 'knn' }, e.assigned);
    if (e.outliers) this.outliersAssigned.inc(e.outliers);
    if (e.outliersReduced) this.outliersReduced.inc(e.outliersReduced);
    if (e.embed) {
      this.embedSeconds.observe(e.embed.seconds);
      this.embedBatch.observe(e.embed.docs);
    }
    for (const l of e.latencies) this.latency.observe(l);
    this.windowSize.set(e.windowDocs);
  }

  observeRefit(s: RefitSummary): void {
    this.refits.inc();
    for (const [stage, sec] of Object.entries(s.seconds)) this.refitSeconds.observe({ stage }, sec);
    this.activeTopics.set(s.topics);
    this.outlierRatio.set(s.windowDocs ? s.outliers / s.windowDocs : 0);
    this.modelVersion.set(s.modelVersion);
    if (!Number.isNaN(s.stability)) this.topicStability.set(s.stability);
    for (const kind of ['kept', 'ceiling', 'outliers'] as const) if (!Number.isNaN(s.persistence[kind])) this.persistence.set({ kind }, s.persistence[kind]);
    for (const ev of s.events) this.topicEvents.inc({ type: ev.type });
  }

  /** Only the topics active now: a retired topic's series goes with it, so the label set stays bounded. */
  private collectTopicInfo(): void {
    this.topicInfo.reset();
    for (const t of this.activeTopicsNow?.() ?? []) {
      const words = t.words.slice(0, INFO_WORDS).map((w) => w.word).join(', ');
      this.topicInfo.set({ topic: String(t.id), label: t.label, words }, 1);
    }
  }

  /** Replaces the per-topic gauge with the current top topics only, so label cardinality stays bounded. */
  setTopTopics(sizes: Array<{ id: number; size: number }>): void {
    this.topicDocs.reset();
    for (const t of [...sizes].sort((a, b) => b.size - a.size).slice(0, TOP_TOPICS_LABELLED)) this.topicDocs.set({ topic: String(t.id) }, t.size);
  }
}
