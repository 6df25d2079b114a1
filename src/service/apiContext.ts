/**
 * The service as the HTTP layer sees it (ApiContext, src/http/types.ts): topics, history, topics
 * over time, the map, search, the live feed, labels and status, each read from the processor.
 */
import type { Config } from '../config/schema.js';
import type { Embedder } from '../core/types.js';
import type { ApiContext, SearchResult } from '../http/types.js';
import type { StreamProcessor } from '../stream/processor.js';
import type { TopicEvent } from '../stream/messages.js';
import type { StreamMetrics } from '../stream/streamMetrics.js';
import type { HealthCheck } from './health.js';
import type { LiveFeed } from './liveFeed.js';
import type { TrendWatch } from './trendWiring.js';
import { roundTo } from '../core/round.js';
import { dot } from '../core/dot.js';
import { topicHistoryView, topicView } from './views/topicViews.js';
import { bucketSeries, refitSeries } from './views/overTime.js';
import { TopicMapCache } from './views/topicMap.js';
import { hnswOptions } from '../pipeline/components.js';

/** Topics a search names (BERTopic's find_topics: top_n=5). */
const SEARCH_TOPICS = 5;

export interface ApiContextDeps {
  config: Config;
  processor: StreamProcessor;
  embedder: Embedder;
  metrics: StreamMetrics;
  health: HealthCheck;
  feed: LiveFeed;
  /** the lifecycle events of the latest refits, oldest first */
  recentEvents: readonly TopicEvent[];
  readiness(): { ready: boolean; checks: Record<string, boolean> };
  sourceName: string;
  /** stream.trend (undefined when off) */
  trend?: TrendWatch;
}

/** The topics closest to a unit vector by centroid cosine similarity, best first. */
function closestTopics(p: StreamProcessor, vec: Float32Array, n: number): SearchResult['topics'] {
  const scored: Array<{ id: number; similarity: number }> = [];
  for (const [id, c] of p.centroids) {
    const t = p.registry.get(id);
    if (!t || t.status !== 'active' || id === -1) continue;
    scored.push({ id, similarity: dot(vec, c) });
  }
  scored.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
  return scored.slice(0, n).map(({ id, similarity }) => {
    const t = p.registry.get(id)!;
    return { id, label: t.label, similarity: roundTo(similarity, 4), words: t.words.slice(0, 10).map((w) => w.word) };
  });
}

export function createApiContext(d: ApiContextDeps): ApiContext {
  const p = d.processor;
  const topN = d.config.ctfidf.topNWords;
  const mapCache = new TopicMapCache({ maxDocs: d.config.http.mapDocs, seed: d.config.seed, hnsw: hnswOptions(d.config) });
  const status = (): Record<string, unknown> => ({
    model_version: p.modelVersion,
    window_docs: p.window.size,
    window_bytes: p.window.bytes,
    index: p.indexSize(),
    ...p.stats.totals(),
    refit_failures: p.stats.refitFailures,
    last_refit: p.stats.lastRefit ? { ...p.stats.lastRefit, events: p.stats.lastRefit.events.length } : null,
    source: d.sourceName,
    live_clients: d.feed.size,
  });
  return {
    metrics: async () => ({ contentType: d.metrics.registry.contentType, body: await d.metrics.registry.metrics() }),
    readiness: () => d.readiness(),
    liveness: () => d.health.liveness(),
    topics: (all) => p.registry.listed(all).map((t) => topicView(t, topN, false)),
    topic: (id) => {
      const t = p.registry.get(id);
      return t ? topicView(t, topN, true) : undefined;
    },
    history: (id) => {
      const t = p.registry.get(id);
      return t ? topicHistoryView(t) : undefined;
    },
    overTime: () => {
      const all = p.registry.all();
      return { refits: refitSeries(all), buckets: bucketSeries(p.window.iterate(), new Map(all.map((t) => [t.id, t]))) };
    },
    map: () =>
      mapCache.get({
        version: p.modelVersion,
        docs: () => p.window.iterate(),
        vectorOfSeq: (seq) => p.window.vectorOfSeq(seq),
        dim: p.window.dim,
        topic: (id) => p.registry.get(id),
      }),
    subscribe: (listener, onEnd) => d.feed.subscribe(listener, onEnd),
    search: async (q, k) => {
      const m = await d.embedder.embed([q], undefined, 'low'); // searches wait behind ingestion
      const vec = m.data.subarray(0, m.cols);
      const a = p.assign(vec);
      const hits = p.nearest(vec, k).map(({ doc, similarity }) => ({ id: doc.id, text: doc.text.slice(0, 500), topic: doc.topic, similarity: roundTo(similarity, 4) }));
      return { topic: a.topic, probability: a.probability, hits, topics: closestTopics(p, vec, SEARCH_TOPICS) };
    },
    events: (limit) => d.recentEvents.slice(-limit),
    trending: () => d.trend?.state() ?? null,
    setLabel: async (id, label) => {
      const t = await p.setLabel(id, label);
      if (t) d.feed.topicsChanged();
      return t ? topicView(t, topN, false) : undefined;
    },
    status,
  };
}
