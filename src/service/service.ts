/**
 * Wires the streaming service together from the config: source → processor (embed, assign, window,
 * refit) → sinks, plus metrics, the HTTP API, snapshots and a clean shutdown on SIGTERM/SIGINT.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Embedder } from '../core/types.js';
import type { Sink, Source } from '../stream/types.js';
import { StreamProcessor, type RefitSummary } from '../stream/processor.js';
import { startFromFit, type InitialModel } from './fittedModel.js';
import { StreamMetrics } from '../stream/streamMetrics.js';
import type { Refitter } from '../stream/refit/types.js';
import { StateStore } from '../state/stateStore.js';
import { FailureLog } from '../state/failureLog.js';
import type { RecoveredCounters } from '../stream/model/publishedCounters.js';
import { startHttpServer, type ApiContext } from '../http/server.js';
import type { TopicEvent } from '../stream/messages.js';
import type { TopicState } from '../stream/topicRegistry.js';
import { VERSION } from '../version.js';
import { HealthCheck, within } from './health.js';
import { roundTo } from '../core/round.js';
import { createApiContext } from './apiContext.js';
import { LiveFeed } from './liveFeed.js';
import { watchTrends, type TrendWatch } from './trendWiring.js';

export interface ServiceParts {
  config: Config;
  log: Logger;
  embedder: Embedder;
  refitter: Refitter;
  source: Source;
  sink: Sink;
  /** start the HTTP server (default true) */
  http?: boolean;
  /** after each refit (e.g. print the topics) */
  onRefit?: (s: RefitSummary, p: StreamProcessor) => void;
  /**
   * The highest model version and topic id already published (read from the compacted output
   * topics or files) so a refit owner never goes below them after a lost or older snapshot.
   */
  recoverCounters?: () => Promise<RecoveredCounters | undefined>;
  /** `run --model DIR`: the first window, when there is no state snapshot (a snapshot wins: it is the service's own later state) */
  initialModel?: InitialModel;
}

/** Lifecycle events /api/events can show. */
const RECENT_EVENTS = 1000;

/** Each event once (it is in the lineage of every topic it names), oldest first. */
function eventsOf(topics: readonly TopicState[]): TopicEvent[] {
  const unique = new Map<string, TopicEvent>();
  for (const t of topics) for (const e of t.lineage ?? []) unique.set(`${e.model_version}:${e.type}:${e.topic_id}`, e);
  return [...unique.values()].sort((a, b) => a.model_version - b.model_version || a.topic_id - b.topic_id);
}

/** Live dashboards get the topic list at most this often. */
const FEED_INTERVAL_MS = 1000;

export class Service {
  readonly metrics = new StreamMetrics();
  readonly processor: StreamProcessor;
  readonly trend?: TrendWatch; // emerging and fading topics (stream.trend)
  readonly state: StateStore;
  private readonly recentEvents: TopicEvent[] = [];
  private http?: { port: number; close(): Promise<void> };
  private lastSnapshot = 0;
  /** the processor's state changed since the last snapshot that was written */
  private stateChanged = false;
  private snapshotTimer?: NodeJS.Timeout;
  private stopping?: Promise<void>;
  private lagTimer?: NodeJS.Timeout;
  private refitTimer?: NodeJS.Timeout;
  private ready = false;
  private readonly health: HealthCheck;
  private readonly stopHooks: Array<() => Promise<void>> = [];
  /** what live dashboards are sent (/api/stream) */
  private readonly feed: LiveFeed;
  private apiContext?: ApiContext;

  constructor(private readonly parts: ServiceParts) {
    const { config, log } = parts;
    this.state = new StateStore(config.state.dir);
    this.health = new HealthCheck(config.stream.stuckAfterSeconds * 1000, () => this.processor.lastProgressAt);
    this.processor = new StreamProcessor({
      config,
      embedder: parts.embedder,
      sink: parts.sink,
      refitter: parts.refitter,
      log,
    });
    this.processor.on('batch', () => (this.stateChanged = true));
    this.processor.on('refit', () => (this.stateChanged = true));
    this.processor.on('modelAdopted', () => (this.stateChanged = true));
    this.feed = new LiveFeed(() => ({ topics: this.api().topics(false), status: this.api().status() }), FEED_INTERVAL_MS);
    this.processor.on('batch', () => this.feed.topicsChanged());
    this.processor.on('refit', (s) => this.feed.refit(s.modelVersion, s.events));
    this.processor.on('modelAdopted', (m) => this.feed.refit(m.version, []));
    this.metrics.listen(this.processor);
    this.trend = watchTrends(config, this.processor, parts.sink, log, { metrics: this.metrics, feed: this.feed });
    this.processor.on('refit', (s) => {
      this.rememberEvents(s.events);
      parts.onRefit?.(s, this.processor);
    });
  }

  /** The latest lifecycle events for /api/events (after a restart: those the topics' lineage kept). */
  private rememberEvents(events: readonly TopicEvent[]): void {
    this.recentEvents.push(...events);
    if (this.recentEvents.length > RECENT_EVENTS) this.recentEvents.splice(0, this.recentEvents.length - RECENT_EVENTS);
  }

  get httpPort(): number | undefined {
    return this.http?.port;
  }

  /** Restores the last snapshot (if any), starts HTTP and the source. */
  async start(): Promise<void> {
    const { config, log, source } = this.parts;
    let resumeFrom: Map<number, string> | undefined;
    // a damaged snapshot is set aside and the previous one (or none) used; another model's snapshot throws
    const s = this.state.load(this.parts.embedder.dim, this.parts.embedder.modelId, log);
    if (s) {
      this.processor.restore(s);
      if (s.source === source.name) resumeFrom = new Map(Object.entries(s.state.offsets).map(([p, o]) => [Number(p), o]));
      else log.warn({ snapshotSource: s.source, source: source.name }, 'the snapshot came from another source: keeping its window, not its offsets');
      log.info({ docs: s.docs.length, modelVersion: s.state.modelVersion, savedAt: s.savedAt, from: s.from, format: s.format, resumeFrom: s.state.offsets }, 'restored state snapshot');
      this.metrics.windowSize.set(this.processor.window.size);
      this.rememberEvents(eventsOf(this.processor.registry.all()));
      this.metrics.modelVersion.set(s.state.modelVersion);
      if (this.parts.initialModel) log.warn({ model: this.parts.initialModel.from, dir: this.state.dir }, 'a state snapshot exists: it wins over --model, whose fitted model is not loaded (move state.dir away to start from the model)');
    } else if (this.parts.initialModel) await this.startFromModel(this.parts.initialModel);
    else log.info({ dir: this.state.dir }, 'no usable state snapshot: starting with an empty window from the committed offsets');
    await this.recoverCounters();
    this.metrics.buildInfo.set({ version: VERSION, model: this.parts.embedder.modelId }, 1);
    if (this.parts.http !== false) this.http = await startHttpServer(this.api(), config.http.port, config.http.host, log, config.http);
    if (this.http) log.info({ port: this.http.port }, `HTTP on :${this.http.port} (/metrics, /api/topics, dashboard at /)`);
    this.ready = true;
    // refits by time must also happen when the input has gone quiet (no batch calls maybeRefit then)
    if (config.stream.refit.everySeconds > 0) this.refitTimer = setInterval(() => void this.processor.maybeRefit(), 1000).unref();
    this.lagTimer = setInterval(() => {
      void this.updateLag();
      this.readiness();
    }, 5000).unref();
    // also when the input has gone quiet: a snapshot that failed (full disk) is tried again
    this.snapshotTimer = setInterval(() => this.maybeSnapshot(), 1000).unref();
    await source.start(async (records) => {
      await this.processor.handleBatch(records);
      this.maybeSnapshot();
    }, resumeFrom);
  }

  /** `run --model`: the fitted model's documents and topics as the first window (no offsets: the source starts from its committed ones). */
  private async startFromModel(m: InitialModel): Promise<void> {
    await startFromFit(this.processor, this.parts.sink, m, this.parts.config.ctfidf.topNWords, this.parts.log);
    this.metrics.windowSize.set(this.processor.window.size);
    this.metrics.activeTopics.set(this.processor.registry.active().length);
  }

  /**
   * A snapshot every state.snapshotEverySeconds while the state changed since the last good one (or
   * the last one failed). The window only holds documents whose outputs are durable, and the
   * processor changes its state between awaits only, so any moment is consistent.
   */
  private maybeSnapshot(): void {
    const every = this.parts.config.state.snapshotEverySeconds;
    if (every <= 0 || this.stopping || Date.now() - this.lastSnapshot < every * 1000) return;
    if (!this.stateChanged) return;
    this.stateChanged = !this.snapshot();
  }

  private readonly snapshotFailureLog = new FailureLog(60_000);

  /**
   * Writes a snapshot; never throws (it runs inside the batch handler, and a full or read-only
   * volume must not stop consumption): a failure is counted, logged at most once a minute, and the
   * next one is tried after state.snapshotEverySeconds. Returns whether it was written.
   */
  snapshot(): boolean {
    const { log } = this.parts;
    this.lastSnapshot = Date.now();
    try {
      const r = this.state.save(this.processor.snapshot(), this.parts.embedder.modelId, this.parts.source.name);
      this.metrics.lastSnapshotAt = Date.now();
      this.metrics.snapshotLastSuccess.set(this.metrics.lastSnapshotAt / 1000);
      const failedBefore = this.snapshotFailureLog.succeeded();
      if (failedBefore > 0) log.info({ docs: r.docs, path: r.path, failedBefore }, 'state snapshots work again');
      else log.debug({ docs: r.docs, path: r.path }, 'state snapshot written');
      return true;
    } catch (e) {
      this.metrics.snapshotFailures.inc();
      const fields = this.snapshotFailureLog.failed();
      if (fields) log.error({ err: e, dir: this.state.dir, ...fields }, 'state snapshot failed; consumption goes on (a restart would resume from the last good snapshot)');
      return false;
    }
  }

  /** After a lost or older snapshot: continue above the model version and topic ids already published. */
  private async recoverCounters(): Promise<void> {
    const recover = this.parts.recoverCounters;
    if (!recover) return;
    const p = this.processor;
    const before = { modelVersion: p.modelVersion, nextTopicId: p.registry.nextId };
    const r = await recover();
    if (!r) return;
    p.raiseCounters(r.modelVersion, r.nextTopicId);
    const after = { modelVersion: p.modelVersion, nextTopicId: p.registry.nextId };
    if (after.modelVersion !== before.modelVersion || after.nextTopicId !== before.nextTopicId) {
      this.parts.log.warn({ before, after, published: r }, 'model version and topic ids raised to what was already published (the state was lost or older)');
      this.metrics.modelVersion.set(p.modelVersion);
    }
  }

  private async updateLag(): Promise<void> {
    const lag = await this.parts.source.lag?.().catch(() => undefined);
    if (!lag) return;
    let total = 0;
    for (const [p, n] of lag) {
      this.metrics.lag.set({ partition: String(p) }, n);
      total += n;
    }
    this.health.setLag(total);
  }

  /** For a finite source: resolves when all input is processed, then runs a last refit. */
  async drain(): Promise<void> {
    await this.parts.source.finished();
    await this.processor.idle();
    await this.processor.maybeRefit(true);
    await this.processor.idle();
  }

  /** Something to stop with the service (before the sink closes). */
  onStop(f: () => Promise<void>): void {
    this.stopHooks.push(f);
  }

  /**
   * Stops within stream.stopTimeoutSeconds whatever hangs (a broker that is away, a hung refit):
   * each step gets a share of the time; what does not finish in its share is left behind. The
   * snapshot holds the window as it is: a document whose outputs were not yet durable is delivered
   * again after a restart and answered again (at-least-once), never lost.
   */
  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      const { log, config } = this.parts;
      const t0 = Date.now();
      const total = config.stream.stopTimeoutSeconds * 1000;
      const until = (share: number) => t0 + total * share - Date.now();
      const step = async (what: string, p: Promise<unknown>, ms: number) => {
        const r = await within(p.catch((e: unknown) => log.warn({ err: e }, `${what} failed while stopping`)), ms);
        if (r === 'timeout') log.warn({ step: what, afterMs: Math.max(0, Math.round(ms)) }, 'stop step did not finish in time; going on');
      };
      this.ready = false;
      if (this.lagTimer) clearInterval(this.lagTimer);
      if (this.refitTimer) clearInterval(this.refitTimer);
      if (this.snapshotTimer) clearInterval(this.snapshotTimer);
      await step('source stop', this.parts.source.stop(), until(0.5));
      for (const f of this.stopHooks) await step('stop hook', f(), until(0.55));
      const closing = this.processor.close();
      const refitterClosed = (await within(closing, until(0.7))) === 'timeout';
      if (refitterClosed) {
        log.warn('a refit is still running; terminating it');
        await step('refitter close', this.parts.refitter.close(), 1000);
        await step('refit', closing, 1000);
      }
      this.snapshot();
      await step('sink close', this.parts.sink.close(), Math.max(500, until(0.75)));
      if (!refitterClosed) await step('refitter close', this.parts.refitter.close(), 1000);
      // the embedder's close waits for a forward pass in flight: exiting during one aborts the process
      await step('embedder close', this.parts.embedder.close(), Math.max(3000, until(0.95)));
      this.feed.close();
      if (this.http) await step('HTTP close', this.http.close(), 1000);
      log.info({ seconds: roundTo((Date.now() - t0) / 1000, 1) }, 'stopped');
    })());
  }

  readiness(): { ready: boolean; checks: Record<string, boolean> } {
    // an instance that does not refit (follower, elected non-owner) is ready once it has a model to assign with
    const p = this.processor;
    const checks = { started: this.ready, model_loaded: this.parts.embedder.dim > 0, source_connected: this.parts.source.ready(), has_model: p.owner || p.modelVersion > 0 };
    for (const [k, v] of Object.entries(checks)) this.metrics.ready.set({ check: k }, v ? 1 : 0);
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  /** The HTTP layer's view of the service (built once: it holds the map cache). */
  api(): ApiContext {
    return (this.apiContext ??= createApiContext({
      config: this.parts.config,
      processor: this.processor,
      embedder: this.parts.embedder,
      metrics: this.metrics,
      health: this.health,
      feed: this.feed,
      recentEvents: this.recentEvents,
      trend: this.trend,
      readiness: () => this.readiness(),
      sourceName: this.parts.source.name,
    }));
  }
}
