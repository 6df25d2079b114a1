/**
 * Membership hysteresis across refits (docs/design.md, "Topics that hold still"). A refit redraws
 * cluster boundaries; a document near a boundary, or one HDBSCAN now leaves as noise, would change
 * topic although it did not move. Here a document keeps the topic it had while it stays close
 * enough to it, measured in the embedding space on the refit's own k-NN graph and centroids:
 *
 *   p = its topic before the refit, x = the one the refit (after id matching) gives it, x ≠ p.
 *   It keeps p when p goes on (the refit matched a cluster to p) and either
 *     - by its neighbours: at least `minNeighbourShare` of its k nearest neighbours are in p now, or
 *     - by the centroid: its cosine similarity to p's centroid is at least `minCentroidSimilarity`
 *       and at least its similarity to x's centroid minus `switchMargin` (for x = −1: the
 *       threshold alone).
 *   A document the refit drew into a new topic (born or split) follows it unless at least
 *   `minNeighbourShareAgainstNew` of its neighbours are still in p.
 *
 * The threshold to stay is lower than what it takes to join (a plurality of the neighbours): that
 * is the hysteresis. Topics that die or merge take their documents along; born and split topics
 * keep all theirs; so the refit's lifecycle events stand. Pure: no state, no allocation per document.
 */
import { dot } from '../../core/dot.js';

export interface HysteresisOptions {
  /** keep the topic while at least this share of the document's k nearest neighbours are in it */
  minNeighbourShare: number;
  /** ...or while its cosine similarity to the topic's centroid is at least this (and no less than to its new topic's) */
  minCentroidSimilarity: number;
  /** ...and it leaves for another topic only when that topic's centroid is closer by more than this */
  switchMargin: number;
  /** a document the refit drew into a new topic stays in its old one only when at least this share of its neighbours are in it (1: never) */
  minNeighbourShareAgainstNew: number;
}

export interface HysteresisInput {
  /** per document: its topic id before the refit (−1 outlier) */
  prev: Int32Array;
  /** per document: its topic id from the refit, after id matching (−1 outlier) */
  next: Int32Array;
  /** the refit's k-NN graph: row i lists k document indices (i itself may be among them; it is skipped; −1 = none) */
  neighbours: Int32Array;
  k: number;
  /** n × dim, L2-normalised */
  embeddings: Float32Array;
  dim: number;
  /** topic id → L2-normalised centroid of its documents in `next` */
  centroids: ReadonlyMap<number, Float32Array>;
  /** old topic ids the refit matched to a cluster (they go on) */
  continuing: ReadonlySet<number>;
  /** ids at or above this are new topics (born or split in this refit) */
  firstNewId: number;
}

export interface HysteresisResult {
  /** per document: its topic id after hysteresis */
  topics: Int32Array;
  /**
   * per document held: how close it stayed (its probability in the topic): the share of its
   * neighbours in the topic when held by them, else its cosine similarity to the topic's centroid;
   * NaN for documents not held
   */
  heldStrength: Float32Array;
  /** documents held in their topic that the refit had made outliers */
  heldFromOutliers: number;
  /** documents held in their topic that the refit had put in another topic */
  heldFromOthers: number;
}

export function applyHysteresis(input: HysteresisInput, opts: HysteresisOptions): HysteresisResult {
  const { prev, next, neighbours, k, embeddings, dim, centroids, continuing, firstNewId } = input;
  const n = next.length;
  const topics = Int32Array.from(next);
  const heldStrength = new Float32Array(n).fill(Number.NaN);
  let heldFromOutliers = 0;
  let heldFromOthers = 0;
  for (let i = 0; i < n; i++) {
    const p = prev[i]!;
    const x = next[i]!;
    if (p < 0 || x === p || !continuing.has(p)) continue;
    let strength = neighbourShare(neighbours, k, i, next, p);
    if (x >= firstNewId) {
      if (strength < opts.minNeighbourShareAgainstNew) continue;
      topics[i] = p;
      heldStrength[i] = strength;
      heldFromOthers++;
      continue;
    }
    let hold = strength >= opts.minNeighbourShare;
    if (!hold) {
      const cp = centroids.get(p);
      if (cp) {
        const simP = dot(embeddings, cp, i * dim);
        const cx = x >= 0 ? centroids.get(x) : undefined;
        hold = simP >= opts.minCentroidSimilarity && (!cx || simP >= dot(embeddings, cx, i * dim) - opts.switchMargin);
        strength = Math.max(0, Math.min(1, simP));
      }
    }
    if (!hold) continue;
    topics[i] = p;
    heldStrength[i] = strength;
    if (x < 0) heldFromOutliers++;
    else heldFromOthers++;
  }
  return { topics, heldStrength, heldFromOutliers, heldFromOthers };
}

/** Share of document i's neighbours (itself left out) whose topic in `labels` is t. */
function neighbourShare(neighbours: Int32Array, k: number, i: number, labels: Int32Array, t: number): number {
  let inT = 0;
  let count = 0;
  const row = i * k;
  for (let j = 0; j < k; j++) {
    const nb = neighbours[row + j]!;
    if (nb < 0 || nb === i) continue;
    count++;
    if (labels[nb] === t) inT++;
  }
  return count > 0 ? inT / count : 0;
}
