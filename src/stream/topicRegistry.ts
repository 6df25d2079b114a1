/**
 * The live topics: id, words, size in the window, status, lineage. Sizes follow every assignment
 * and eviction, so /api/topics and the metrics are current between refits.
 */
import type { TopicWord } from '../model/topic.js';
import { topicLabel } from '../model/topic.js';
import type { TopicEvent, TopicHistoryPoint, TopicStatus } from './messages.js';

export type { TopicHistoryPoint };

/** Words kept per history point. */
export const HISTORY_WORDS = 10;

export interface TopicState {
  id: number;
  status: TopicStatus;
  words: TopicWord[];
  /** what the API, metrics and messages show: customLabel ?? the config's label ?? name ?? the automatic one */
  label: string;
  /** a user's label set through the API (persisted; survives refits and restarts) */
  customLabel?: string;
  /** a zero-shot topic's name (topics.zeroShot.names): its label below a user's or the config's; the name keeps this id (src/stream/refit/namedTopics.ts) */
  name?: string;
  size: number;
  representativeDocIds: string[];
  representativeDocs: string[];
  bornVersion: number;
  parent: number | null;
  /** model version of the last refit that saw it */
  version: number;
  /** documents assigned since the last refit (for per-topic rates) */
  recent: number;
  /** size and words at each refit, oldest first (bounded: stream.history.points; absent in old snapshots) */
  history?: TopicHistoryPoint[];
  /** the lifecycle events that name this topic, oldest first (bounded: stream.history.events) */
  lineage?: TopicEvent[];
}

/** How much history each topic keeps (config stream.history). */
export interface HistoryLimits {
  points: number;
  events: number;
}

/** The label made from a topic's words (what `setWords` produces when no user label is set). */
export function automaticLabel(t: Pick<TopicState, 'id' | 'words'>): string {
  return topicLabel(t.id, t.words); // readable words; "outliers" for -1, the id for a topic without words
}

export class TopicRegistry {
  private readonly topics = new Map<number, TopicState>();
  /** labels from config (topics.labels): below a user's API label, above the automatic one; not persisted */
  private configLabels: ReadonlyMap<number, string> = new Map();
  /** ids are never reused: the next fresh id */
  nextId = 0;

  get(id: number): TopicState | undefined {
    return this.topics.get(id);
  }

  active(): TopicState[] {
    return [...this.topics.values()].filter((t) => t.status === 'active' && t.id !== -1).sort((a, b) => a.id - b.id);
  }

  /** Active topics and the outliers, or all including retired ones (the API's list). */
  listed(includeRetired: boolean): TopicState[] {
    if (includeRetired) return this.all();
    const outliers = this.get(-1);
    return [...this.active(), ...(outliers ? [outliers] : [])];
  }

  all(): TopicState[] {
    return [...this.topics.values()].sort((a, b) => a.id - b.id);
  }

  ensure(id: number, version: number, parent: number | null = null): TopicState {
    let t = this.topics.get(id);
    if (!t) {
      t = { id, status: 'active', words: [], label: String(id), size: 0, representativeDocIds: [], representativeDocs: [], bornVersion: version, parent, version, recent: 0 };
      this.topics.set(id, t);
      if (id >= this.nextId) this.nextId = id + 1;
      this.relabel(t);
    }
    return t;
  }

  setWords(id: number, words: TopicWord[]): void {
    const t = this.topics.get(id);
    if (!t) return;
    t.words = words;
    this.relabel(t);
  }

  /** A user's label (null: back to the config's or the automatic label); undefined for an unknown topic. */
  setCustomLabel(id: number, label: string | null): TopicState | undefined {
    const t = this.topics.get(id);
    if (!t) return undefined;
    if (label === null) delete t.customLabel;
    else t.customLabel = label;
    this.relabel(t);
    return t;
  }

  /** The config's labels (topics.labels), applied now and to topics created later. */
  setConfigLabels(labels: ReadonlyMap<number, string>): void {
    this.configLabels = labels;
    for (const t of this.topics.values()) this.relabel(t);
  }

  /** Makes a topic the zero-shot topic of `name`. */
  setName(id: number, name: string): void {
    const t = this.topics.get(id);
    if (!t) return;
    t.name = name;
    this.relabel(t);
  }

  private relabel(t: TopicState): void {
    t.label = t.customLabel ?? this.configLabels.get(t.id) ?? t.name ?? automaticLabel(t);
  }

  retire(id: number, version: number): void {
    const t = this.topics.get(id);
    if (t) {
      t.status = 'retired';
      t.version = version;
      t.size = 0;
    }
  }

  inc(id: number): void {
    const t = this.topics.get(id);
    if (t) {
      t.size++;
      t.recent++;
    }
  }

  dec(id: number): void {
    const t = this.topics.get(id);
    if (t && t.size > 0) t.size--;
  }

  /** A deep copy (a refit plans on a copy and swaps it in once its outputs are durable). */
  clone(): TopicRegistry {
    // history points and events are never changed once recorded: copying the arrays is enough
    const list = this.all().map((t) => ({
      ...t,
      words: [...t.words],
      representativeDocIds: [...t.representativeDocIds],
      representativeDocs: [...t.representativeDocs],
      ...(t.history ? { history: [...t.history] } : {}),
      ...(t.lineage ? { lineage: [...t.lineage] } : {}),
    }));
    const r = TopicRegistry.fromJSON(list, this.nextId);
    r.configLabels = this.configLabels;
    return r;
  }

  /**
   * Records a refit (or an adopted model) in the topics' history: each of `ids` gets a point with
   * its size and words now; each event goes to the lineage of its topic and of the related ones.
   */
  recordRefit(version: number, at: string, ids: readonly number[], events: readonly TopicEvent[], limits: HistoryLimits): void {
    for (const id of ids) {
      const t = this.topics.get(id);
      if (!t) continue;
      const h = (t.history ??= []);
      h.push({ model_version: version, at, size: t.size, words: t.words.slice(0, HISTORY_WORDS).map((w) => w.word) });
      if (h.length > limits.points) h.splice(0, h.length - limits.points);
    }
    for (const e of events) {
      for (const id of new Set([e.topic_id, ...e.related])) {
        const t = this.topics.get(id);
        if (!t) continue;
        const l = (t.lineage ??= []);
        l.push(e);
        if (l.length > limits.events) l.splice(0, l.length - limits.events);
      }
    }
  }

  /** Drops the oldest retired topics beyond `keep` (by the version that retired them); named topics stay (their name keeps the id). */
  pruneRetired(keep: number): number {
    const retired = [...this.topics.values()].filter((t) => t.status === 'retired' && t.name === undefined).sort((a, b) => a.version - b.version || a.id - b.id);
    const drop = retired.slice(0, Math.max(0, retired.length - keep));
    for (const t of drop) this.topics.delete(t.id);
    return drop.length;
  }

  toJSON(): TopicState[] {
    return this.all();
  }

  static fromJSON(list: TopicState[], nextId: number): TopicRegistry {
    const r = new TopicRegistry();
    for (const t of list) r.topics.set(t.id, t);
    r.nextId = nextId;
    return r;
  }
}
