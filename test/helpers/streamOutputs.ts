// Reading the streaming service's outputs back: the payload types of its four output topics
// (docs/design.md, "Message formats"), the refits it logged, and topic-id stability measured from
// the outside, with nothing but the assignment messages and the refit log lines.
import type { ConsumedMessage } from './kafka.js';
import type { LogLine } from './service.js';
import { mulberry32 } from '../../src/core/random.js';

import type { AssignmentPayload } from '../../src/stream/messages.js';

export type { AssignmentPayload, DlqPayload } from '../../src/stream/messages.js';
export type { TopicUpdate as TopicUpdatePayload, TopicEvent as TopicEventPayload } from '../../src/stream/messages.js';

/** One refit as the service logged it: when it took its view of the window, and when it was applied. */
export interface RefitMark {
  version: number;
  /** pino time of "refit started" (the window view is taken in the same tick) */
  startedAt: number;
  /** pino time of "refit applied" (after its outputs were acknowledged) */
  appliedAt: number;
  /** documents in the refit's view of the window */
  windowDocs: number;
}

/** The applied refits of one service process, in version order. */
export function refitMarks(logs: readonly LogLine[]): RefitMark[] {
  const started = new Map<number, LogLine>();
  for (const l of logs) if (l.msg === 'refit started') started.set(l.version as number, l);
  const out: RefitMark[] = [];
  for (const l of logs) {
    if (l.msg !== 'refit applied') continue;
    const s = started.get(l.version as number);
    if (!s) continue;
    out.push({ version: l.version as number, startedAt: s.time, appliedAt: l.time, windowDocs: s.windowDocs as number });
  }
  return out.sort((a, b) => a.version - b.version);
}

/**
 * Holds a producer back while a refit runs and `ahead` posts were produced since it was seen
 * starting, so that consecutive refits share documents of the window however slowly refits run on
 * a loaded machine (a 1,500-document refit took 3.8 s on a quiet machine and 11.4 s beside another
 * CPU-heavy job; at 100 posts/s all 3,000 posts were in before the next refit). Posts still
 * arrive during every refit.
 */
export class RefitPacer {
  private readonly seenAt = new Map<number, number>();
  constructor(
    private readonly logs: () => readonly LogLine[],
    private readonly ahead: number,
    private readonly giveUpMs = 120_000,
  ) {}

  /** Resolves once producing more is fine; `produced` counts the posts produced so far. */
  async wait(produced: number): Promise<void> {
    for (const end = Date.now() + this.giveUpMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const v = this.running();
      if (v === undefined) return;
      if (!this.seenAt.has(v)) this.seenAt.set(v, produced);
      if (produced - this.seenAt.get(v)! < this.ahead) return;
    }
  }

  /** The version of the refit running now, if one is (started, neither applied nor failed nor abandoned). */
  private running(): number | undefined {
    let last: number | undefined;
    let ended = true;
    for (const l of this.logs()) {
      if (l.msg === 'refit started') [last, ended] = [l.version as number, false];
      else if ((l.msg === 'refit applied' && l.version === last) || l.msg === 'refit abandoned' || l.msg.startsWith('refit failed')) ended = true;
    }
    return ended ? undefined : last;
  }
}

export interface StabilityOptions {
  /** stream.window.maxDocs of the service */
  windowMaxDocs: number;
  /**
   * Documents this close (in arrival order) to a window boundary are left out, because their side
   * of the boundary cannot be told for sure from timestamps (a batch is added at once). Default 128.
   */
  margin?: number;
  /** random relabellings for the baseline (default 200) */
  trials?: number;
  seed?: number;
}

export interface StabilityPair {
  from: number;
  to: number;
  /** documents in both refit windows, not outliers in either */
  docs: number;
  /** of those, documents whose topic id is the same after both refits */
  kept: number;
  share: number;
  /** the same share after a random relabelling of the later refit's ids (mean and max over trials) */
  randomMean: number;
  randomMax: number;
}

/**
 * Topic-id stability between consecutive refits, from the outputs alone:
 *  - a document's topic after refit v is its last assignment among its first "knn" one and the
 *    "refit" ones of versions ≤ v (the service publishes a refit assignment only when a topic changed;
 *    messages of one document share a key, hence a partition, hence an order);
 *  - refit v saw the `windowDocs` most recent documents whose first assignment was sent before it
 *    started (a batch's assignments are acknowledged before a refit can start);
 *  - a document was still in the window when refit v was applied when fewer than maxDocs documents
 *    were assigned after it up to the "refit applied" time (eviction is first in, first out).
 * For each pair of consecutive refits: among documents in both windows and not outliers in either,
 * the share that kept their topic id; and, as the baseline a service without id matching would
 * give, the same share after randomly permuting the topic ids of the later refit.
 */
export function topicStability(assignments: readonly ConsumedMessage[], refits: readonly RefitMark[], opts: StabilityOptions): StabilityPair[] {
  const margin = opts.margin ?? 128;
  const trials = opts.trials ?? 200;
  const rand = mulberry32(opts.seed ?? 1);

  // per document, in partition order: its first knn assignment and its refit assignments
  const ordered = [...assignments].sort((a, b) => a.partition - b.partition || cmpOffset(a.offset, b.offset));
  const firstKnn = new Map<string, { topic: number; at: number }>();
  const refitTopics = new Map<string, Array<{ version: number; topic: number }>>();
  for (const m of ordered) {
    const a = JSON.parse(m.value!) as AssignmentPayload;
    if (a.method === 'knn') {
      if (!firstKnn.has(a.doc_id)) firstKnn.set(a.doc_id, { topic: a.topic_id, at: Number(m.timestamp) });
    } else if (firstKnn.has(a.doc_id)) {
      let list = refitTopics.get(a.doc_id);
      if (!list) refitTopics.set(a.doc_id, (list = []));
      list.push({ version: a.model_version, topic: a.topic_id });
    }
  }
  const arrival = [...firstKnn.entries()].map(([id, k]) => ({ id, at: k.at })).sort((a, b) => a.at - b.at);
  const topicAfter = (id: string, version: number): number => {
    let t = firstKnn.get(id)!.topic;
    for (const r of refitTopics.get(id) ?? []) if (r.version <= version) t = r.topic;
    return t;
  };
  /** how many documents had their first assignment sent at or before `time` */
  const arrivedBy = (time: number): number => {
    let lo = 0;
    let hi = arrival.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arrival[mid]!.at <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const pairs: StabilityPair[] = [];
  for (let i = 1; i < refits.length; i++) {
    const a = refits[i - 1]!;
    const b = refits[i]!;
    if (b.version !== a.version + 1) continue;
    // in refit a's view: arrival positions [endA - windowDocs, endA), minus the margins
    const endA = arrivedBy(a.startedAt - 1);
    const viewFrom = endA - a.windowDocs + margin;
    const viewTo = endA - margin;
    // still in the window when refit b was applied: the last maxDocs arrivals up to then, minus the margin
    const aliveFrom = arrivedBy(b.appliedAt) - opts.windowMaxDocs + margin;
    const from = Math.max(viewFrom, aliveFrom, 0);
    const before: number[] = [];
    const after: number[] = [];
    for (let p = from; p < viewTo; p++) {
      const id = arrival[p]!.id;
      const ta = topicAfter(id, a.version);
      const tb = topicAfter(id, b.version);
      if (ta < 0 || tb < 0) continue;
      before.push(ta);
      after.push(tb);
    }
    const kept = countSame(before, after);
    const ids = [...new Set([...before, ...after])];
    let sum = 0;
    let max = 0;
    const relabelled = new Array<number>(after.length);
    for (let t = 0; t < trials; t++) {
      const perm = shuffle([...ids], rand);
      const map = new Map(ids.map((id, k) => [id, perm[k]!]));
      for (let k = 0; k < after.length; k++) relabelled[k] = map.get(after[k]!)!;
      const share = before.length ? countSame(before, relabelled) / before.length : 0;
      sum += share;
      if (share > max) max = share;
    }
    pairs.push({ from: a.version, to: b.version, docs: before.length, kept, share: before.length ? kept / before.length : Number.NaN, randomMean: sum / trials, randomMax: max });
  }
  return pairs;
}

function countSame(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) n++;
  return n;
}

function cmpOffset(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
