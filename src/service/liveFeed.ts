/**
 * The live dashboard's feed (/api/stream): the topic list when it changed (at most once per
 * `minIntervalMs`, the last change always sent), each refit's lifecycle events and its version.
 * The processor's events drive it; the HTTP layer turns it into server-sent events.
 */
import type { FeedEvent, FeedListener } from '../http/types.js';
import type { TopicEvent } from '../stream/messages.js';

interface Subscriber {
  listener: FeedListener;
  onEnd: () => void;
}

export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  private timer?: NodeJS.Timeout;
  private pending = false;
  private closed = false;

  /** `topics()`: the /api/topics body now */
  constructor(
    private readonly topics: () => unknown,
    private readonly minIntervalMs: number,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Sends the topics at once, then every change; returns the unsubscribe. */
  subscribe(listener: FeedListener, onEnd: () => void): () => void {
    if (this.closed) {
      onEnd();
      return () => {};
    }
    const s = { listener, onEnd };
    this.subscribers.add(s);
    listener('topics', JSON.stringify(this.topics()));
    return () => void this.subscribers.delete(s);
  }

  /** The topics changed (a batch, a label): sent now, or when the interval since the last send is over. */
  topicsChanged(): void {
    if (this.closed || this.subscribers.size === 0) return;
    if (this.timer) {
      this.pending = true;
      return;
    }
    this.emit('topics', this.topics());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending) {
        this.pending = false;
        this.topicsChanged();
      }
    }, this.minIntervalMs);
    this.timer.unref();
  }

  /** A refit was applied (or a model adopted). */
  refit(version: number, events: readonly TopicEvent[]): void {
    if (events.length) this.emit('events', { events });
    this.emit('refit', { model_version: version });
    this.topicsChanged();
  }

  /** After every batch: what is trending now and the batch's emerging/fading events. TODO(dashboard helper) */
  trendingChanged(_state: unknown, _events: readonly unknown[]): void {}

  /** Ends every subscription (the service stops). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscribers) s.onEnd();
    this.subscribers.clear();
  }

  /** Serialised once for every subscriber. */
  private emit(event: FeedEvent, data: unknown): void {
    const json = JSON.stringify(data);
    for (const s of this.subscribers) s.listener(event, json);
  }
}
