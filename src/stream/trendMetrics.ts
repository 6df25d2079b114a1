/**
 * Prometheus metrics of the emerging-topics monitor (src/stream/trend/trendMonitor.ts), in the
 * service's registry (StreamMetrics.listenTrend). README.md explains each metric.
 */
import client from 'prom-client';
import type { TrendEvent } from './messages.js';
import type { TrendState } from './trend/trendMonitor.js';
import type { Signal } from './trend/topicSignals.js';

/** Topics labelled besides those with a signal (weak, strong, fading): the fastest growing ones, so the label set stays bounded. */
export const TOP_GROWING_LABELLED = 20;
/** topicstream_topic_signal's value of each signal. */
export const SIGNAL_VALUE: Readonly<Record<Signal, number>> = { fading: -1, noise: 0, stable: 0, weak: 1, strong: 2 };

export interface TrendUpdate {
  state: TrendState;
  events: TrendEvent[];
}

/** What the metrics follow: src/service/trendWiring.ts's TrendWatch (not imported here: it imports the metrics). */
export interface TrendUpdates {
  on(event: 'update', listener: (u: TrendUpdate) => void): unknown;
}

export class TrendMetrics {
  readonly growth: client.Gauge<'topic' | 'label'>;
  readonly signal: client.Gauge<'topic' | 'label'>;
  readonly forming: client.Gauge;
  readonly events: client.Counter<'type' | 'signal'>;

  constructor(r: client.Registry, p = 'topicstream_') {
    const labelNames = ['topic', 'label'] as const;
    this.growth = new client.Gauge({
      name: `${p}topic_growth`,
      help: `Growth of the topics with a signal (weak, strong, fading) and of the ${TOP_GROWING_LABELLED} fastest growing, after the last batch: share of the newest documents / share of the longer past (1 = as popular as before); forming topics (topic="forming-<id>"): their share of the newest documents`,
      labelNames,
      registers: [r],
    });
    this.signal = new client.Gauge({ name: `${p}topic_signal`, help: 'Signal of the same topics: -1 fading, 0 noise or stable, 1 weak, 2 strong', labelNames, registers: [r] });
    this.forming = new client.Gauge({ name: `${p}forming_topics`, help: 'Forming topics now (groups of new posts no refit has made a topic yet)', registers: [r] });
    this.events = new client.Counter({ name: `${p}trend_events_total`, help: 'Emerging and fading events said (published by the refit owner), by type (emerging, fading) and signal (weak, strong, fading)', labelNames: ['type', 'signal'], registers: [r] });
  }

  listen(t: TrendUpdates): void {
    t.on('update', (u) => this.observe(u));
  }

  /** Replaces the per-topic series with those of the latest state (a topic that leaves the set loses its series). */
  observe({ state, events }: TrendUpdate): void {
    this.growth.reset();
    this.signal.reset();
    const set = (topic: string, label: string, growth: number, signal: Signal) => {
      this.growth.set({ topic, label }, growth);
      this.signal.set({ topic, label }, SIGNAL_VALUE[signal]);
    };
    for (const t of labelledTopics(state.topics)) set(String(t.topic), t.label, t.growth, t.signal);
    for (const f of state.forming) set(`forming-${f.forming_id}`, f.label, f.growth, f.signal);
    this.forming.set(state.forming.length);
    for (const e of events) this.events.inc({ type: e.type, signal: e.signal });
  }
}

/** The topics given series: every one with a signal, and the fastest growing. */
export function labelledTopics<T extends { growth: number; signal: Signal }>(topics: readonly T[]): T[] {
  const fastest = new Set([...topics].sort((a, b) => b.growth - a.growth).slice(0, TOP_GROWING_LABELLED));
  return topics.filter((t) => fastest.has(t) || t.signal === 'weak' || t.signal === 'strong' || t.signal === 'fading');
}
