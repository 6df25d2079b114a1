/**
 * Assigns a new post to a topic at once, between refits: its k nearest neighbours in the window
 * (HNSW, cosine) vote for their topics, each vote weighted by similarity. The best real topic wins
 * if it holds at least `minShare` of the whole weight (outlier neighbours count in the whole but do
 * not win by number: HDBSCAN leaves many documents unclustered, and a post near a topic should not
 * be swamped by them); its share is the probability. A post whose nearest neighbour is less similar
 * than the floor is an outlier (-1): nothing in the window is about the same thing.
 */
import type { HnswIndex } from '../../knn/hnswIndex.js';

export interface Assignment {
  topic: number;
  probability: number;
  /** similarity of the nearest neighbour (NaN when the index is empty) */
  nearest: number;
  /** the vote made it an outlier and outlier reduction gave it its nearest topic (outlierReducer.ts) */
  reduced?: boolean;
}

export class KnnAssigner {
  private readonly labels: Int32Array;
  private readonly dists: Float32Array;
  private readonly votes = new Map<number, number>();

  constructor(
    private readonly index: HnswIndex,
    /** the current topic of the document with this HNSW label (seq), or undefined if gone */
    private readonly topicOf: (seq: number) => number | undefined,
    private readonly k: number,
    private readonly minSimilarity: number,
    private readonly minShare = 0.2,
  ) {
    this.labels = new Int32Array(k);
    this.dists = new Float32Array(k);
  }

  assign(vector: Float32Array): Assignment {
    const live = this.index.count;
    if (live === 0) return { topic: -1, probability: 0, nearest: Number.NaN };
    const m = this.index.searchInto(vector, 0, Math.min(this.k, live), this.labels, this.dists);
    if (m === 0) return { topic: -1, probability: 0, nearest: Number.NaN };
    const nearest = 1 - this.dists[0]!;
    if (nearest < this.minSimilarity) return { topic: -1, probability: 0, nearest };
    this.votes.clear();
    let total = 0;
    for (let i = 0; i < m; i++) {
      const t = this.topicOf(this.labels[i]!);
      if (t === undefined) continue;
      // similarity in [0, 1] as the weight; a negative cosine gets no say
      const w = Math.max(0, 1 - this.dists[i]!);
      this.votes.set(t, (this.votes.get(t) ?? 0) + w);
      total += w;
    }
    let best = -1;
    let bestW = 0;
    for (const [t, w] of this.votes) {
      if (t === -1) continue;
      // ties go to the lower id (deterministic)
      if (w > bestW || (w === bestW && best !== -1 && t < best)) {
        best = t;
        bestW = w;
      }
    }
    if (total <= 0 || best === -1) return { topic: -1, probability: 0, nearest };
    const share = bestW / total;
    if (share < this.minShare) return { topic: -1, probability: 1 - share, nearest };
    return { topic: best, probability: share, nearest };
  }
}
