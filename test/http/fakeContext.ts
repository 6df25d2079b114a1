// A fake ApiContext for testing the HTTP server alone, and a server started on it (127.0.0.1, any
// free port). Searches can be held at a gate to build up load deterministically.
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { startHttpServer, type ApiContext, type HttpOptions, type RunningHttpServer, type SearchResult } from '../../src/http/server.js';
import type { FeedListener, OverTimeView, TopicMapView, TrendingView } from '../../src/http/types.js';
import { LiveFeed } from '../../src/service/liveFeed.js';

/** A promise opened from outside. */
export class Gate {
  private openIt!: () => void;
  readonly opened = new Promise<void>((r) => (this.openIt = r));
  open(): void {
    this.openIt();
  }
}

export class FakeContext implements ApiContext {
  /** searches started, and the most that ran at once */
  searchCalls = 0;
  running = 0;
  maxRunning = 0;
  /** when set, every search waits for it */
  gate: Gate | undefined;
  searchError: Error | undefined;
  statusError: Error | undefined;

  metrics = async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'topicstream_documents_assigned_total{method="knn"} 7\n' });
  readiness = () => ({ ready: true, checks: { started: true } });
  liveness = () => ({ alive: true, stuckForSeconds: 0 });
  topics = () => [{ id: 0, status: 'active', label: '0_alpha', size: 3, words: [{ word: 'alpha', score: 1 }], parent: null, born_version: 1, trend: [2, 3] }];
  topic = (id: number) => (id === 0 ? this.topics()[0] : undefined);
  /** labels set through the API, by topic id */
  labels = new Map<number, string | null>();
  setLabel = async (id: number, label: string | null) => {
    if (id !== 0) return undefined;
    this.labels.set(id, label);
    return { ...this.topics()[0]!, label: label ?? '0_alpha', custom_label: label };
  };
  history = (id: number) => (id === 0 ? { topic_id: 0, label: '0_alpha', history: [{ model_version: 1, at: '2026-01-01T00:00:00.000Z', size: 3, words: ['alpha'] }], lineage: [] } : undefined);
  overTime = (): OverTimeView => ({ refits: { versions: [1], at: ['2026-01-01T00:00:00.000Z'], series: [{ id: 0, label: '0_alpha', sizes: [3] }] }, buckets: null });
  map = async (): Promise<TopicMapView> => ({ model_version: 1, topics: [{ id: 0, label: '0_alpha', size: 3, x: 0, y: 0 }], docs: [{ x: 0, y: 0, topic: 0, text: 'a' }] });
  /** drives /api/stream in tests */
  readonly feed = new LiveFeed(() => ({ topics: this.topics(), status: this.status() }), 50);
  subscribe = (listener: FeedListener, onEnd: () => void) => this.feed.subscribe(listener, onEnd);
  trending = (): TrendingView => ({
    at: '2026-01-01T00:00:00.000Z',
    model_version: 1,
    topics: [{ topic: 0, label: '0_alpha', words: ['alpha'], popularity: 6, share: 0.4, baseline: 0.1, growth: 4, signal: 'strong' }],
    forming: [{ forming_id: 1, label: 'beta, gamma', words: ['beta', 'gamma'], size: 30, growth: 0.5, signal: 'weak', sample_docs: [{ id: 'd9', text: 'beta gamma' }] }],
    events: [],
  });
  events = (limit: number) => Array.from({ length: Math.min(limit, 3) }, (_, i) => ({ type: 'born', topic_id: i }));
  status = () => {
    if (this.statusError) throw this.statusError;
    return { model_version: 1 };
  };

  search = async (q: string, k: number): Promise<SearchResult> => {
    this.searchCalls++;
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await this.gate?.opened;
      if (this.searchError) throw this.searchError;
      return { topic: 0, probability: 0.5, hits: [{ id: 'd1', text: q, topic: 0, similarity: k / 100 }], topics: [{ id: 0, label: '0_alpha', similarity: 0.5, words: ['alpha'] }] };
    } finally {
      this.running--;
    }
  };
}

export async function startFake(opts: Partial<HttpOptions> = {}, ctx = new FakeContext()): Promise<{ ctx: FakeContext; http: RunningHttpServer; url: string }> {
  // the service passes config.http: the schema's defaults, then the test's settings
  const http = await startHttpServer(ctx, 0, '127.0.0.1', pino({ level: 'silent' }), { ...loadConfig({ env: {} }).http, ...opts });
  return { ctx, http, url: `http://127.0.0.1:${http.port}` };
}
