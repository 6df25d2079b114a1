/**
 * Topic identity across refits. The old topics and the new clusters share documents (the windows
 * overlap): count them, score each pair by Jaccard overlap, and match one-to-one by maximum total
 * overlap (Hungarian). A matched cluster keeps the old id. Where little is shared (the window moved
 * on), an unmatched cluster may still inherit an unmatched old topic whose centroid is close enough.
 * Everything else gets a fresh id, with a lifecycle event:
 *   born    — a new cluster drawn from no topic that lives on elsewhere
 *   split   — a new cluster drawn mostly from an old topic that matched another cluster (parent = that topic)
 *   merged  — an old topic without a successor whose documents went mostly into a cluster matched to another topic
 *   died    — an old topic without a successor otherwise
 */
import { hungarian } from './hungarian.js';
import type { TopicEventType } from '../messages.js';
import { roundTo } from '../../core/round.js';
import { dot } from '../../core/dot.js';

export interface MatchOptions {
  minJaccard: number;
  minCentroidSimilarity: number;
  mergeShare: number;
}

export interface MatchInput {
  /** per document of the refit window: its topic before the refit (-1: an outlier, or no model yet when it arrived) */
  prev: Int32Array;
  /** per document: the new cluster label (-1 outlier) */
  next: Int32Array;
  /** old topics that are active (they may have no documents left in the window) */
  activeOld: readonly number[];
  /** the first id a new topic may take */
  nextId: number;
  /** optional centroids (L2-normalised) for the fallback */
  oldCentroids?: Map<number, Float32Array>;
  newCentroids?: Map<number, Float32Array>;
}

export interface MatchEvent {
  type: TopicEventType;
  topicId: number;
  related: number[];
  details: Record<string, number | string>;
}

export interface MatchResult {
  /** new cluster label → topic id */
  idOf: Map<number, number>;
  events: MatchEvent[];
  nextId: number;
  /** Jaccard overlap of every old topic that kept its id through a shared-document match */
  persisted: Array<{ topicId: number; jaccard: number }>;
}

export function matchTopics(input: MatchInput, opts: MatchOptions): MatchResult {
  const ov = countShared(input);
  const { idOf, matchedOld, persisted } = matchByOverlap(ov, opts.minJaccard);
  if (input.oldCentroids && input.newCentroids) {
    matchByCentroid(ov, input.oldCentroids, input.newCentroids, opts.minCentroidSimilarity, matchedOld, idOf);
  }
  const events: MatchEvent[] = [];
  const nextId = newClusterEvents(ov, idOf, matchedOld, input.nextId, opts.mergeShare, events);
  oldTopicEvents(ov, idOf, matchedOld, opts.mergeShare, events);
  return { idOf, events, nextId, persisted };
}

/** Old topics (rows) against new clusters (columns): the documents they share, and their sizes. */
interface Overlap {
  /** row o is old topic oldIds[o] (ascending) */
  oldIds: number[];
  /** column c is new cluster newLabels[c] (ascending) */
  newLabels: number[];
  R: number;
  C: number;
  /** R × C: documents in old topic o before and in cluster c after */
  shared: Float64Array;
  oldSize: Float64Array;
  newSize: Float64Array;
  /** R × C Jaccard overlap: shared / (oldSize + newSize − shared) */
  jac: Float64Array;
}

/** Step 1 (docs/design.md, "Topic identity"): the documents every old topic and new cluster share, and their Jaccard overlap. */
function countShared({ prev, next, activeOld }: MatchInput): Overlap {
  const oldIds = [...new Set(activeOld.filter((t) => t >= 0))].sort((a, b) => a - b);
  const newLabels = [...new Set(Array.from(next).filter((l) => l >= 0))].sort((a, b) => a - b);
  const oi = new Map(oldIds.map((t, i) => [t, i]));
  const ni = new Map(newLabels.map((l, i) => [l, i]));
  const R = oldIds.length;
  const C = newLabels.length;
  const shared = new Float64Array(R * C);
  const oldSize = new Float64Array(R);
  const newSize = new Float64Array(C);
  for (let d = 0; d < prev.length; d++) {
    const o = oi.get(prev[d]!);
    const c = ni.get(next[d]!);
    if (o !== undefined) oldSize[o]++;
    if (c !== undefined) newSize[c]++;
    if (o !== undefined && c !== undefined) shared[o * C + c]++;
  }
  const jac = new Float64Array(R * C);
  for (let o = 0; o < R; o++)
    for (let c = 0; c < C; c++) {
      const s = shared[o * C + c]!;
      jac[o * C + c] = s > 0 ? s / (oldSize[o]! + newSize[c]! - s) : 0;
    }
  return { oldIds, newLabels, R, C, shared, oldSize, newSize, jac };
}

/** Step 1, continued: one-to-one by maximum total Jaccard (Hungarian); a pair below minJaccard stays unmatched. */
function matchByOverlap(
  { oldIds, newLabels, R, C, jac }: Overlap,
  minJaccard: number,
): { idOf: Map<number, number>; matchedOld: Map<number, number>; persisted: MatchResult['persisted'] } {
  const idOf = new Map<number, number>();
  const matchedOld = new Map<number, number>(); // old row → new col
  const persisted: MatchResult['persisted'] = [];
  if (R > 0 && C > 0) {
    const cost = new Float64Array(R * C);
    for (let k = 0; k < cost.length; k++) cost[k] = -jac[k]!;
    const colOf = hungarian(cost, R, C);
    for (let o = 0; o < R; o++) {
      const c = colOf[o]!;
      if (c < 0) continue;
      const j = jac[o * C + c]!;
      if (j >= minJaccard && j > 0) {
        matchedOld.set(o, c);
        idOf.set(newLabels[c]!, oldIds[o]!);
        persisted.push({ topicId: oldIds[o]!, jaccard: j });
      }
    }
  }
  return { idOf, matchedOld, persisted };
}

/** Step 2, the fallback: centroid similarity between still-unmatched clusters and old topics, best pairs first. */
function matchByCentroid(
  { oldIds, newLabels, R, C }: Overlap,
  oldCentroids: Map<number, Float32Array>,
  newCentroids: Map<number, Float32Array>,
  minSimilarity: number,
  matchedOld: Map<number, number>,
  idOf: Map<number, number>,
): void {
  const pairs: Array<{ o: number; c: number; sim: number }> = [];
  const matchedCols = new Set(matchedOld.values());
  for (let o = 0; o < R; o++) {
    if (matchedOld.has(o)) continue;
    const oc = oldCentroids.get(oldIds[o]!);
    if (!oc) continue;
    for (let c = 0; c < C; c++) {
      if (matchedCols.has(c)) continue;
      const nc = newCentroids.get(newLabels[c]!);
      if (!nc) continue;
      const sim = dot(oc, nc);
      if (sim >= minSimilarity) pairs.push({ o, c, sim });
    }
  }
  pairs.sort((a, b) => b.sim - a.sim);
  for (const { o, c } of pairs) {
    if (matchedOld.has(o) || matchedCols.has(c)) continue;
    matchedOld.set(o, c);
    matchedCols.add(c);
    idOf.set(newLabels[c]!, oldIds[o]!);
  }
}

/** Step 3: every unmatched cluster gets a fresh id (from nextId; returns the next free one) and is split or born. */
function newClusterEvents(
  { oldIds, newLabels, R, C, shared, newSize }: Overlap,
  idOf: Map<number, number>,
  matchedOld: ReadonlyMap<number, number>,
  firstId: number,
  mergeShare: number,
  events: MatchEvent[],
): number {
  let nextId = firstId;
  for (let c = 0; c < C; c++) {
    const label = newLabels[c]!;
    if (idOf.has(label)) continue;
    const id = nextId++;
    idOf.set(label, id);
    const { at: bestO, value: bestS } = largest(R, (o) => shared[o * C + c]!);
    const share = newSize[c]! > 0 ? bestS / newSize[c]! : 0;
    if (bestO >= 0 && share >= mergeShare && matchedOld.has(bestO)) {
      events.push({ type: 'split', topicId: id, related: [oldIds[bestO]!], details: { share: roundTo(share, 3), size: newSize[c]! } });
    } else {
      const sources: number[] = [];
      for (let o = 0; o < R; o++) if (shared[o * C + c]! > 0) sources.push(oldIds[o]!);
      events.push({ type: 'born', topicId: id, related: sources.slice(0, 5), details: { size: newSize[c]! } });
    }
  }
  return nextId;
}

/** Step 4: every unmatched old topic merged (into a cluster matched to another topic) or died. */
function oldTopicEvents(
  { oldIds, newLabels, R, C, shared, oldSize }: Overlap,
  idOf: ReadonlyMap<number, number>,
  matchedOld: ReadonlyMap<number, number>,
  mergeShare: number,
  events: MatchEvent[],
): void {
  const matchedCols = new Set(matchedOld.values());
  for (let o = 0; o < R; o++) {
    if (matchedOld.has(o)) continue;
    const { at: bestC, value: bestS } = largest(C, (c) => shared[o * C + c]!);
    const share = oldSize[o]! > 0 ? bestS / oldSize[o]! : 0;
    const into = bestC >= 0 ? idOf.get(newLabels[bestC]!) : undefined;
    if (into !== undefined && share >= mergeShare && matchedCols.has(bestC)) {
      events.push({ type: 'merged', topicId: oldIds[o]!, related: [into], details: { share: roundTo(share, 3) } });
    } else {
      events.push({ type: 'died', topicId: oldIds[o]!, related: into !== undefined && share > 0 ? [into] : [], details: { docs_in_window: oldSize[o]! } });
    }
  }
}

/** The first index in [0, count) with the largest positive value; { at: -1, value: 0 } if none is positive. */
function largest(count: number, value: (i: number) => number): { at: number; value: number } {
  let at = -1;
  let best = 0;
  for (let i = 0; i < count; i++) {
    const v = value(i);
    if (v > best) {
      best = v;
      at = i;
    }
  }
  return { at, value: best };
}
