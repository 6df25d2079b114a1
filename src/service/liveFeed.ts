/**
 * The live dashboard's feed (/api/stream): the topic list when it changed and what is trending after
 * each batch (each at most once per `minIntervalMs`, the last change always sent), each refit's
 * lifecycle events and its version. The processor's events drive it; the HTTP layer turns it into
 * server-sent events.
 */
import type { FeedEvent, FeedListener } from '../http/types.js';
import type { TopicEvent } from '../stream/messages.js';
import type { TrendState } from '../stream/trend/trendMonitor.js';

interface Subscriber {
  listener: FeedListener;
  onEnd: () => void;
}

/** Runs `send` now, or once `ms` have passed since it last ran: calls in between make one more run, the last call is never lost. */
class Throttle {
  private timer?: NodeJS.Timeout;
  private pending = false;

  constructor(
    private readonly send: () => void,
    private readonly ms: number,
  ) {}

  call(): void {
    if (this.timer) {
      this.pending = true;
      return;
    }
    this.send();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending) {
        this.pending = false;
        this.call();
      }
    }, this.ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }
}

export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  private readonly topicsOut: Throttle;
  private readonly trendingOut: Throttle;
  /** the latest trending state (the /api/trending body), for the next send and for new subscribers */
  private trending?: TrendState;
  private closed = false;

  /** `topics()`: the /api/topics body now */
  constructor(
    private readonly topics: () => unknown,
    minIntervalMs: number,
  ) {
    this.topicsOut = new Throttle(() => this.emit('topics', this.topics()), minIntervalMs);
    this.trendingOut = new Throttle(() => this.emit('trending', this.trending), minIntervalMs);
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Sends the topics at once (and what is trending, once there is something), then every change; returns the unsubscribe. */
  subscribe(listener: FeedListener, onEnd: () => void): () => void {
    if (this.closed) {
      onEnd();
      return () => {};
    }
    const s = { listener, onEnd };
    this.subscribers.add(s);
    listener('topics', JSON.stringify(this.topics()));
    if (this.trending) listener('trending', JSON.stringify(this.trending));
    return () => void this.subscribers.delete(s);
  }

  /** The topics changed (a batch, a label): sent now, or when the interval since the last send is over. */
  topicsChanged(): void {
    if (this.closed || this.subscribers.size === 0) return;
    this.topicsOut.call();
  }

  /** A refit was applied (or a model adopted). */
  refit(version: number, events: readonly TopicEvent[]): void {
    if (events.length) this.emit('events', { events });
    this.emit('refit', { model_version: version });
    this.topicsChanged();
  }

  /**
   * After every batch: what is trending now, sent as `trending` (the state, whose `events` hold the
   * latest emerging/fading events, this batch's among them) now or when the interval is over.
   */
  trendingChanged(state: TrendState): void {
    this.trending = state;
    if (this.closed || this.subscribers.size === 0) return;
    this.trendingOut.call();
  }

  /** Ends every subscription (the service stops). */
  close(): void {
    this.closed = true;
    this.topicsOut.stop();
    this.trendingOut.stop();
    for (const s of this.subscribers) s.onEnd();
    this.subscribers.clear();
  }

  /** Serialised once for every subscriber. */
  private emit(event: FeedEvent, data: unknown): void {
    if (this.subscribers.size === 0) return;
    const json = JSON.stringify(data);
    for (const s of this.subscribers) s.listener(event, json);
  }
}
