/**
 * Emerging topics in the service (docs/design.md, "Emerging topics"): after every batch the
 * monitor reads the processor's window and model; its events go to topic-events, a big enough
 * forming topic starts a refit at once, and an applied refit tells the monitor what it has seen.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Sink } from '../stream/types.js';
import type { StreamProcessor } from '../stream/processor.js';
import { trendEventMessage, type TrendEvent } from '../stream/messages.js';
import { TrendMonitor, type TrendState } from '../stream/trend/trendMonitor.js';
import type { StreamMetrics } from '../stream/streamMetrics.js';
import type { LiveFeed } from './liveFeed.js';

/** The monitor when stream.trend.enabled, with the metrics and the live dashboards following it. */
export function watchTrends(config: Config, processor: StreamProcessor, sink: Sink, log: Logger, to: { metrics: StreamMetrics; feed: LiveFeed }): TrendWatch | undefined {
  if (!config.stream.trend.enabled) return undefined;
  const w = new TrendWatch(config, processor, sink, log);
  to.metrics.listenTrend(w);
  w.on('update', (u) => to.feed.trendingChanged(u.state));
  return w;
}

export interface TrendEvents {
  /** after every batch and refit: the signals now, and the events they made */
  update: [{ state: TrendState; events: TrendEvent[] }];
}

export class TrendWatch extends EventEmitter<TrendEvents> {
  readonly monitor: TrendMonitor;
  private updated = false;

  constructor(
    config: Config,
    private readonly processor: StreamProcessor,
    private readonly sink: Sink,
    private readonly log: Logger,
  ) {
    super();
    this.monitor = new TrendMonitor(config, processor.window.dim);
    // after a refit (or an adopted model) the signals are those of the new topics at once, not at the next batch
    processor.on('refit', (s) => {
      this.monitor.refitApplied(s.lastSeq);
      this.update();
    });
    processor.on('modelAdopted', () => this.update());
    processor.on('batch', () => this.update());
  }

  /** The signals now (computed once first, after a restart, before any batch). */
  state(): TrendState {
    if (!this.updated) this.update();
    return this.monitor.state();
  }

  private update(): void {
    const { processor: p, log } = this;
    this.updated = true;
    const r = this.monitor.update({ window: p.window, registry: p.registry, modelVersion: p.modelVersion, nearest: (v, k) => p.nearest(v, k) });
    for (const e of r.events) log.info({ type: e.type, topic: e.topic_id, forming: e.forming_id, signal: e.signal, growth: e.growth, label: e.label, lastDoc: e.last_doc_id }, `${e.type} topic`);
    // derived signals, not records: a send that fails (broker away) is logged, not retried; only the refit owner publishes (with role elected every instance sees the same window)
    if (r.events.length && p.owner) this.sink.send('events', r.events.map(trendEventMessage)).catch((err: unknown) => log.warn({ err, events: r.events.length }, 'emerging/fading events not published'));
    if (r.refit) {
      log.info({ modelVersion: p.modelVersion }, 'a strong signal: refit now');
      void p.maybeRefit(true);
    }
    this.emit('update', { state: this.monitor.state(), events: r.events });
  }
}
