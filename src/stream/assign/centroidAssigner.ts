/**
 * Assignment by the nearest topic centroid (cosine): what a follower instance uses with the model
 * the refit owner published. Below the similarity floor a post is an outlier (-1). The probability
 * is the best centroid's share of the similarity mass of the two best, so a post halfway between
 * two topics gets about 0.5.
 */
import type { Assignment } from './knnAssigner.js';

export class CentroidAssigner {
  private ids: Int32Array = new Int32Array(0);
  private centroids: Float32Array = new Float32Array(0);

  constructor(private readonly dim: number, private readonly minSimilarity: number) {}

  get size(): number {
    return this.ids.length;
  }

  setCentroids(byId: ReadonlyMap<number, Float32Array>): void {
    const ids = [...byId.keys()].filter((id) => id >= 0).sort((a, b) => a - b);
    this.ids = Int32Array.from(ids);
    this.centroids = new Float32Array(ids.length * this.dim);
    ids.forEach((id, i) => this.centroids.set(byId.get(id)!, i * this.dim));
  }

  assign(vector: Float32Array): Assignment {
    let best = -1;
    let bestSim = -Infinity;
    let second = -Infinity;
    const d = this.dim;
    for (let t = 0; t < this.ids.length; t++) {
      let s = 0;
      const off = t * d;
      for (let j = 0; j < d; j++) s += this.centroids[off + j]! * vector[j]!;
      if (s > bestSim) {
        second = bestSim;
        bestSim = s;
        best = t;
      } else if (s > second) second = s;
    }
    if (best < 0) return { topic: -1, probability: 0, nearest: Number.NaN };
    if (bestSim < this.minSimilarity) return { topic: -1, probability: 0, nearest: bestSim };
    const a = Math.max(0, bestSim);
    const b = Math.max(0, second === -Infinity ? 0 : second);
    return { topic: this.ids[best]!, probability: a + b > 0 ? a / (a + b) : 1, nearest: bestSim };
  }
}
