/**
 * What is new and growing (docs/design.md, "Emerging topics"): after every batch, each topic's
 * signal from the window (topicSignals.ts) and the forming topics among the newest documents no
 * topic took (formingGroups.ts). A topic or forming topic that rises to a weak or strong signal is
 * an `emerging` event, an emerging one that falls to fading a `fading` event; each is said once
 * until the topic is back to stable. A forming topic of `forming.refitDocs` asks for a refit at once. Plain state
 * and plain results: the service publishes the events, the metrics and the API read `state()`.
 */
import type { Config } from '../../config/schema.js';
import type { TopicRegistry } from '../topicRegistry.js';
import type { WindowDoc, WindowStore } from '../window/windowStore.js';
import type { TrendEvent, TrendSignalType } from '../messages.js';
import { readableLabel } from '../../represent/topicLabel.js';
import { topicTerms, serviceVectorizer } from '../../pipeline/describeTopics.js';
import { topicSignals, type Signal, type TopicSignal } from './topicSignals.js';
import { FormingGroups } from './formingGroups.js';

/** What the monitor reads after a batch: the processor's window and model. */
export interface TrendInput {
  window: WindowStore;
  registry: TopicRegistry;
  modelVersion: number;
  /** the window documents nearest to a vector, best first (the assignment index) */
  nearest(vec: Float32Array, k: number): Array<{ doc: { seq: number }; similarity: number }>;
}

/** Neighbours a new document's novelty is judged on. */
const NOVELTY_K = 15;

export interface FormingTopic {
  forming_id: number;
  label: string;
  words: string[];
  size: number;
  /** its share of the newest documents (the last 2 x fastHalfLifeDocs, or those since its first one) */
  growth: number;
  signal: 'weak' | 'strong';
  sample_docs: Array<{ id: string; text: string }>;
}

export interface TrendState {
  at: string;
  model_version: number;
  topics: Array<TopicSignal & { label: string; words: string[] }>;
  forming: FormingTopic[];
  /** the latest emerging/fading events, newest last */
  events: TrendEvent[];
}

type EventBase = Pick<TrendEvent, 'model_version' | 'at' | 'related' | 'last_doc_id'>;

const RANK: Record<Signal, number> = { noise: 0, stable: 0, fading: 0, weak: 1, strong: 2 };
const RECENT_EVENTS = 100;
const WORDS = 10;
/** documents a topic's newest words are told apart from */
const RECENT_WORDS_DOCS = 2000;

export class TrendMonitor {
  private readonly o: Config['stream']['trend'];
  private readonly forming: FormingGroups;
  private lastSeen = -1;
  /** the newest document the last refit saw: a strong signal asks for a refit only fastHalfLifeDocs documents later (no refit storms) */
  private lastRefitSeq = Number.NEGATIVE_INFINITY;
  /** what was last said per topic (and per forming id, negated), to say each rise once */
  private readonly said = new Map<number, Signal>();
  /** topics said to be emerging that have not faded since */
  private readonly emerged = new Set<number>();
  private readonly refitAskedFor = new Set<number>();
  /** a forming topic's words, computed again once it has grown by a quarter */
  private readonly wordsOf = new Map<number, { size: number; words: string[] }>();
  private current: TrendState = { at: new Date(0).toISOString(), model_version: 0, topics: [], forming: [], events: [] };

  constructor(
    private readonly config: Config,
    dim: number,
  ) {
    this.o = config.stream.trend;
    const f = this.o.forming;
    this.forming = new FormingGroups(dim, { similarity: f.similarity, minNeighbours: f.minNeighbours, minDocs: f.minDocs, capacity: f.maxCandidates });
  }

  /** After a batch: the new documents, the signals, the events to publish and whether to refit now. */
  update(input: TrendInput, now = new Date()): { events: TrendEvent[]; refit: boolean } {
    const { window } = input;
    const from = Math.max(this.lastSeen + 1, window.lastSeq - window.size + 1);
    for (let seq = from; seq <= window.lastSeq; seq++) {
      const d = window.docOfSeq(seq);
      const v = d && window.vectorOfSeq(seq);
      // before the first model nothing is forming against anything yet
      if (d && v && input.modelVersion > 0 && this.isNew(seq, v, input)) this.forming.add(seq, d.id, d.text, v);
    }
    // a forming topic is what gathers within the horizon: older candidates leave
    this.forming.dropUpTo(window.lastSeq - this.o.forming.horizonDocs);
    this.lastSeen = window.lastSeq;
    const at = now.toISOString();
    const events: TrendEvent[] = [];
    const base = { model_version: input.modelVersion, at, related: [] as number[], last_doc_id: window.docOfSeq(window.lastSeq)?.id ?? null };
    // topics: only once the window holds enough past for a baseline
    const topics = window.size >= this.o.fastHalfLifeDocs * 2 ? topicSignals(window.iterate(), window.lastSeq, this.o) : [];
    const described = topics.map((s) => {
      const t = input.registry.get(s.topic);
      return { ...s, label: t?.label ?? String(s.topic), words: (t?.words ?? []).slice(0, WORDS).map((w) => w.word) };
    });
    let refit = this.topicEvents(described, window, base, events);
    const { forming, askers } = this.formingEvents(window, base, events);
    if (askers.length) refit = true;
    // forget what left: forming topics that are gone, topics with no document in the window
    const present = new Set([...described.map((s) => s.topic), ...forming.map((f) => -f.forming_id)]);
    for (const key of [...this.said.keys()]) {
      if (present.has(key)) continue;
      this.said.delete(key);
      this.emerged.delete(key);
    }
    for (const id of [...this.wordsOf.keys()]) if (!forming.some((f) => f.forming_id === id)) this.wordsOf.delete(id);
    const recent = [...this.current.events, ...events].slice(-RECENT_EVENTS);
    this.current = { at, model_version: input.modelVersion, topics: described, forming, events: recent };
    if (!refit || window.lastSeq - this.lastRefitSeq < this.o.fastHalfLifeDocs) return { events, refit: false };
    for (const id of askers) this.refitAskedFor.add(id);
    return { events, refit: true };
  }

  /** Emerging/fading events of the topics; whether a strong one asks for a refit. */
  private topicEvents(described: TrendState['topics'], window: WindowStore, base: EventBase, events: TrendEvent[]): boolean {
    let refit = false;
    for (const s of described) {
      const e = this.transition(s.topic, s.signal);
      if (!e) continue;
      // what grows may be new content in an old topic (posts on a new subject that the vote put in the nearest one): the words of its newest documents say what
      const words = e === 'emerging' ? this.recentWords(window, s.topic) : s.words;
      const label = words.length ? readableLabel(s.topic, words) : s.label;
      events.push({ ...base, type: e, topic_id: s.topic, label, topic_label: s.label, words, growth: round(s.growth), popularity: round(s.popularity), signal: s.signal as TrendSignalType, sample_docs: this.samplesOfTopic(window, s.topic) });
      // a topic that surges is refitted at once: a new subject inside it gets its own topic
      if (e === 'emerging' && s.signal === 'strong' && this.o.refitOnStrong) refit = true;
    }
    return refit;
  }

  /** The forming topics now and their events; the strong ones that have not asked for a refit yet. */
  private formingEvents(window: WindowStore, base: EventBase, events: TrendEvent[]): { forming: FormingTopic[]; askers: number[] } {
    const forming: FormingTopic[] = [];
    const askers: number[] = [];
    for (const g of this.forming.groups()) {
      const f = this.formingTopic(g.id, g.slots, window);
      // a group that gathers slowly is no burst (measured: generic tweets gather into groups of 40 at 7% of the documents)
      if (f.growth < this.o.forming.minShare) continue;
      forming.push(f);
      const e = this.transition(-g.id, f.signal);
      if (e) events.push({ ...base, type: e, topic_id: -1, forming_id: g.id, label: f.label, words: f.words, growth: f.growth, size: f.size, signal: f.signal, sample_docs: f.sample_docs });
      if (this.o.refitOnStrong && f.signal === 'strong' && !this.refitAskedFor.has(g.id)) askers.push(g.id);
    }
    return { forming, askers };
  }

  /**
   * New: nothing older than the horizon (forming.horizonDocs documents before it) is close to it —
   * its nearest such window documents are all below forming.novelSimilarity. Counted in documents,
   * not refits, so a slow refit changes nothing. Measured on the tweets: a new tweet's nearest
   * earlier tweet is at >= 0.54 for 90% of them; a hockey post's at 0.41, a graphics post's at 0.25
   * (median).
   */
  private isNew(seq: number, v: Float32Array, input: TrendInput): boolean {
    const old = seq - this.o.forming.horizonDocs;
    for (const n of input.nearest(v, NOVELTY_K)) {
      if (n.doc.seq > old) continue;
      return n.similarity < this.o.forming.novelSimilarity;
    }
    return true;
  }

  /** A refit has seen every document up to `lastSeq`: they are no longer forming anything. */
  refitApplied(lastSeq: number): void {
    this.lastRefitSeq = lastSeq;
    this.forming.dropUpTo(lastSeq);
  }

  state(): TrendState {
    return this.current;
  }

  /** The event a change of signal makes, if any: a rise once until the topic is stable again; a fall to fading once after it emerged. */
  private transition(key: number, signal: Signal): 'emerging' | 'fading' | undefined {
    const before = this.said.get(key) ?? 'stable';
    if (RANK[signal] > RANK[before]) {
      this.said.set(key, signal);
      this.emerged.add(key);
      return 'emerging';
    }
    // only what was said to be emerging is said to fade (any topic past a burst of its own would, every time)
    if (signal === 'fading' && this.emerged.delete(key)) {
      this.said.set(key, signal);
      return 'fading';
    }
    if (signal === 'stable' || signal === 'noise' || signal === 'fading') this.said.set(key, signal);
    return undefined;
  }

  private formingTopic(id: number, slots: number[], window: WindowStore): FormingTopic {
    const words = this.formingWords(id, slots, window);
    // its share of the documents since its first one (all within the horizon)
    const first = this.forming.doc(slots[0]!).seq;
    const span = Math.max(1, this.lastSeen - first + 1);
    const size = slots.length;
    return {
      forming_id: id,
      label: readableLabel(id, words),
      words,
      size,
      growth: round(size / span),
      signal: size >= this.o.forming.refitDocs && size / span >= this.o.forming.strongShare ? 'strong' : 'weak',
      sample_docs: slots.slice(-this.o.sampleDocs).map((s) => {
        const d = this.forming.doc(s);
        return { id: d.id, text: d.text.slice(0, 280) };
      }),
    };
  }

  /** The words that set a forming topic apart from the window's other newest documents (c-TF-IDF, the service's vectorizer). */
  private formingWords(id: number, slots: number[], window: WindowStore): string[] {
    const cached = this.wordsOf.get(id);
    if (cached && slots.length < cached.size * 1.25) return cached.words;
    const members = new Set(slots.map((s) => this.forming.doc(s).seq));
    const words = this.windowWords(window, (seq) => members.has(seq));
    this.wordsOf.set(id, { size: slots.length, words });
    return words;
  }

  /** The words that set a topic's newest documents (the last 2 x fastHalfLifeDocs) apart from the rest of the window's newest. */
  private recentWords(window: WindowStore, topic: number): string[] {
    const recent = this.o.fastHalfLifeDocs * 2;
    return this.windowWords(window, (seq, d) => d.topic === topic && window.lastSeq - seq < recent);
  }

  /** c-TF-IDF (the service's vectorizer) of the window's newest documents that `mine` picks, against the rest of the newest 2,000. */
  private windowWords(window: WindowStore, mine: (seq: number, d: WindowDoc) => boolean): string[] {
    const texts: string[] = [];
    const labels: number[] = [];
    for (let seq = window.lastSeq; seq >= 0 && texts.length < RECENT_WORDS_DOCS && window.lastSeq - seq < window.size * 2; seq--) {
      const d = window.docOfSeq(seq);
      if (!d) continue;
      texts.push(d.text);
      labels.push(mine(seq, d) ? 0 : -1);
    }
    if (!labels.includes(0)) return [];
    const tt = topicTerms(texts, labels, this.config, { vectorizer: serviceVectorizer(this.config) });
    return (tt.topics.find((t) => t.id === 0)?.words ?? []).slice(0, WORDS).map((w) => w.word);
  }

  private samplesOfTopic(window: WindowStore, topic: number): Array<{ id: string; text: string }> {
    const out: Array<{ id: string; text: string }> = [];
    for (let seq = window.lastSeq; seq >= 0 && out.length < this.o.sampleDocs && window.lastSeq - seq < window.size * 2; seq--) {
      const d = window.docOfSeq(seq);
      if (d?.topic === topic) out.push({ id: d.id, text: d.text.slice(0, 280) });
    }
    return out;
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
