/**
 * Each topic's popularity and growth, from the window as it is now (docs/design.md, "Emerging
 * topics"). The clock is the document count: a document's weight halves every `fastHalfLifeDocs`
 * newer documents for the recent popularity and every `slowHalfLifeDocs` for the baseline, so
 * growth (recent share / baseline share) does not move with the stream's overall rate, which varies
 * ten-fold over a day on a news feed. Recomputed from the window after every batch: a refit that
 * moves documents between topics, or a restart from a snapshot, changes the signals at once and
 * needs no state of its own.
 */

export type Signal = 'noise' | 'stable' | 'weak' | 'strong' | 'fading';

export interface SignalOptions {
  fastHalfLifeDocs: number;
  slowHalfLifeDocs: number;
  minDocs: number;
  weakGrowth: number;
  strongGrowth: number;
  strongMinDocs: number;
  fadingGrowth: number;
}

export interface TopicSignal {
  topic: number;
  /** documents of the topic among the newest, decayed (fast half-life) */
  popularity: number;
  /** the topic's share of the newest documents (fast half-life)... */
  share: number;
  /** ...and of the longer past (slow half-life) */
  baseline: number;
  /** share / baseline (1: as popular as before) */
  growth: number;
  signal: Signal;
}

/** A topic's class from its numbers (the order of the tests is the order of the classes' strength). */
export function classify(s: Omit<TopicSignal, 'topic' | 'signal'>, baselineDocs: number, o: SignalOptions): Signal {
  if (s.growth >= o.strongGrowth && s.popularity >= o.strongMinDocs) return 'strong';
  if (s.growth >= o.weakGrowth && s.popularity >= o.minDocs) return 'weak';
  if (s.growth <= o.fadingGrowth && baselineDocs >= o.minDocs) return 'fading';
  return s.popularity < o.minDocs ? 'noise' : 'stable';
}

/**
 * Signals of every topic with documents in `docs` (outliers, topic -1, count in the totals only).
 * `lastSeq` is the newest document's sequence number; ages are counted from it.
 */
export function topicSignals(docs: Iterable<{ seq: number; topic: number }>, lastSeq: number, o: SignalOptions): TopicSignal[] {
  const fastRate = Math.LN2 / o.fastHalfLifeDocs;
  const slowRate = Math.LN2 / o.slowHalfLifeDocs;
  const fast = new Map<number, number>();
  const slow = new Map<number, number>();
  let fastTotal = 0;
  let slowTotal = 0;
  for (const d of docs) {
    const age = lastSeq - d.seq;
    const wf = Math.exp(-fastRate * age);
    const ws = Math.exp(-slowRate * age);
    fastTotal += wf;
    slowTotal += ws;
    if (d.topic < 0) continue;
    fast.set(d.topic, (fast.get(d.topic) ?? 0) + wf);
    slow.set(d.topic, (slow.get(d.topic) ?? 0) + ws);
  }
  const out: TopicSignal[] = [];
  if (fastTotal <= 0) return out;
  for (const [topic, s] of slow) {
    const popularity = fast.get(topic) ?? 0;
    const share = popularity / fastTotal;
    const baseline = s / slowTotal;
    const growth = baseline > 0 ? share / baseline : 0;
    const numbers = { popularity, share, baseline, growth };
    out.push({ topic, ...numbers, signal: classify(numbers, s, o) });
  }
  return out.sort((a, b) => b.growth - a.growth || a.topic - b.topic);
}
