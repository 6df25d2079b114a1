/** The HTTP layer's view of the service, its settings, and what a route is given. */
import type http from 'node:http';
import type { Logger } from 'pino';
import type { TokenAuth } from './auth.js';
import type { SearchLimiter } from './searchLimiter.js';
import type { TopicEvent } from '../stream/messages.js';
import type { TopicHistoryPoint } from '../stream/topicRegistry.js';

export interface TopicView {
  id: number;
  status: string;
  label: string;
  /** the user's label (API or config), null when the automatic label is shown */
  custom_label?: string | null;
  size: number;
  words: Array<{ word: string; score: number }>;
  parent: number | null;
  born_version: number;
  /** its size at its last refits, oldest first */
  trend: number[];
  representative_doc_ids?: string[];
  representative_docs?: string[];
  /** the lifecycle events that name it (topic page) */
  lineage?: TopicEvent[];
}

export interface TopicHistoryView {
  topic_id: number;
  label: string;
  history: TopicHistoryPoint[];
  lineage: TopicEvent[];
}

/** Topic sizes per refit (from the topics' history) and per `ts` bucket (the window's documents by their topic now). */
export interface OverTimeView {
  refits: { versions: number[]; at: string[]; series: Array<{ id: number; label: string; sizes: number[] }> };
  buckets: { seconds: number; starts: string[]; series: Array<{ id: number; label: string; counts: number[] }> } | null;
}

/** The topic map: a 2-D layout of a sample of the window, each topic at the mean of its documents. */
export interface TopicMapView {
  model_version: number;
  topics: Array<{ id: number; label: string; size: number; x: number; y: number }>;
  docs: Array<{ x: number; y: number; topic: number; text: string }>;
}

/** What a live dashboard is sent: `topics` (the /api/topics body), `events` ({events}), `refit` ({model_version}). */
export type FeedEvent = 'topics' | 'events' | 'refit' | 'trending';
/** `json`: the event's data, serialised */
export type FeedListener = (event: FeedEvent, json: string) => void;

export interface SearchHit {
  id: string;
  text: string;
  topic: number;
  similarity: number;
}

export interface SearchResult {
  topic: number;
  probability: number;
  hits: SearchHit[];
  /** the topics closest to the text by centroid cosine similarity (BERTopic's find_topics) */
  topics: Array<{ id: number; label: string; similarity: number; words: string[] }>;
}

/** /api/trending: src/stream/trend/trendMonitor.ts TrendState */
export type TrendingView = import('../stream/trend/trendMonitor.js').TrendState;

/** What the HTTP layer needs from the service; kept narrow so the server can be tested alone. */
export interface ApiContext {
  metrics(): Promise<{ contentType: string; body: string }>;
  readiness(): { ready: boolean; checks: Record<string, boolean> };
  liveness(): { alive: boolean; stuckForSeconds: number };
  topics(includeRetired: boolean): TopicView[];
  topic(id: number): TopicView | undefined;
  search(q: string, k: number): Promise<SearchResult>;
  events(limit: number): unknown[];
  /** What is new and growing now: every topic's signal, the forming topics, the latest emerging/fading events (stream.trend; null when off). */
  trending(): TrendingView | null;
  /** A topic's size and words at each refit, and its lineage; undefined for an unknown topic. */
  history(id: number): TopicHistoryView | undefined;
  overTime(): OverTimeView;
  map(): Promise<TopicMapView>;
  /** Follows the live feed; `onEnd` when the service stops. Returns the unsubscribe. */
  subscribe(listener: FeedListener, onEnd: () => void): () => void;
  /** Sets a topic's user label (null: back to the automatic one); undefined for an unknown topic. */
  setLabel(id: number, label: string | null): Promise<TopicView | undefined>;
  status(): Record<string, unknown>;
}

/** The `http` settings the server uses (config keys of the same names; their defaults are the schema's). */
export interface HttpOptions {
  /** Bearer token for the API and the dashboard; unset = open. */
  token?: string;
  /** Also require the token on /metrics. */
  protectMetrics?: boolean;
  /** Searches running at once. */
  searchConcurrency: number;
  /** Searches waiting for a slot; beyond that 429. */
  searchQueue: number;
  /** dashboards on /api/stream at once */
  maxLiveClients: number;
  /** Upper bound on a search, queueing included, before a 503 (default 20 s). */
  searchTimeoutMs?: number;
  /** Overrides of the server's fixed limits (tests). */
  limits?: Partial<ServerLimits>;
}

/** Limits of the server itself; the defaults are SERVER_LIMITS in server.ts. */
export interface ServerLimits {
  /** request line and headers together; more is a 431 */
  maxHeaderSize: number;
  maxHeadersCount: number;
  /** the headers must arrive within this (slow clients hold a socket otherwise) */
  headersTimeoutMs: number;
  /** the whole request must arrive within this */
  requestTimeoutMs: number;
  /** how often the two timeouts above are checked */
  timeoutCheckMs: number;
  /** a socket with no traffic either way for this long is closed */
  socketIdleMs: number;
  maxConnections: number;
  /** in-flight requests get this long after close() before their sockets are cut */
  closeGraceMs: number;
}

/** open: probes, never behind the token; metrics: behind it when protectMetrics; token: behind it; dashboard: checks itself. */
export type Access = 'open' | 'metrics' | 'token' | 'dashboard';

export interface RouteCall {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  query: URLSearchParams;
  /** the path's captured groups */
  params: string[];
  method: string;
  /** the request body, for routes that take one (maxBodyBytes) */
  body?: Buffer;
}

export interface Route {
  access: Access;
  /** the methods it answers; GET and HEAD when not given */
  methods?: readonly string[];
  /** largest request body it reads; 0 or absent: bodies are refused (413) */
  maxBodyBytes?: number;
  handle(call: RouteCall): void | Promise<void>;
}

export interface RouteDeps {
  ctx: ApiContext;
  /** dashboards on /api/stream at once */
  maxLiveClients: number;
  auth: TokenAuth;
  limiter: SearchLimiter;
  searchTimeoutMs: number;
  log: Logger;
}
