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
  w.on('update', (u) => to.feed.trendingChanged(u.state, u.events));
  return w;
}

export interface TrendEvents {
  /** after every batch: the signals now, and the events of this batch */
  update: [{ state: TrendState; events: TrendEvent[] }];
}

export class TrendWatch extends EventEmitter<TrendEvents> {
  readonly monitor: TrendMonitor;

  constructor(config: Config, processor: StreamProcessor, sink: Sink, log: Logger) {
    super();
    this.monitor = new TrendMonitor(config, processor.window.dim);
    processor.on('refit', (s) => this.monitor.refitApplied(s.lastSeq));
    processor.on('batch', () => {
      const r = this.monitor.update({ window: processor.window, registry: processor.registry, centroids: processor.centroids, modelVersion: processor.modelVersion });
      for (const e of r.events) log.info({ type: e.type, topic: e.topic_id, forming: e.forming_id, signal: e.signal, growth: e.growth, label: e.label, lastDoc: e.last_doc_id }, `${e.type} topic`);
      // derived signals, not records: a send that fails (broker away) is logged, not retried
      if (r.events.length) sink.send('events', r.events.map(trendEventMessage)).catch((err: unknown) => log.warn({ err, events: r.events.length }, 'emerging/fading events not published'));
      if (r.refit) {
        log.info({ modelVersion: processor.modelVersion }, 'a forming topic is large enough: refit now');
        void processor.maybeRefit(true);
      }
      this.emit('update', { state: this.monitor.state(), events: r.events });
    });
  }

  state(): TrendState {
    return this.monitor.state();
  }
}
