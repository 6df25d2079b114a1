/**
 * Outlier reduction at arrival (stream.assign.reduceOutliers; BERTopic's reduce_outliers with the
 * "embeddings" strategy, one post at a time): a post the vote makes an outlier (-1) goes to the topic
 * whose centroid is most similar (cosine) when that similarity is at least the threshold. The
 * centroids are those of the model in force; they are re-read whenever the model replaces its map
 * (a refit applied, a model adopted, a snapshot restored). Its probability is the centroid vote's
 * (the best centroid's share of the two best similarities, as a follower's).
 */
import type { Assignment } from './knnAssigner.js';
import { CentroidAssigner } from './centroidAssigner.js';

export interface OutlierReductionOptions {
  enabled: boolean;
  minSimilarity: number;
}

export class OutlierReducer {
  private readonly nearest: CentroidAssigner;
  private centroidsSeen: ReadonlyMap<number, Float32Array> | undefined;

  constructor(dim: number, private readonly opts: OutlierReductionOptions) {
    this.nearest = new CentroidAssigner(dim, opts.minSimilarity);
  }

  get enabled(): boolean {
    return this.opts.enabled;
  }

  /** `a` unchanged unless it is an outlier with a topic centroid close enough; then that topic, marked reduced. */
  reduce(vec: Float32Array, a: Assignment, centroids: ReadonlyMap<number, Float32Array>): Assignment {
    if (!this.opts.enabled || a.topic !== -1) return a;
    if (centroids !== this.centroidsSeen) {
      this.nearest.setCentroids(centroids);
      this.centroidsSeen = centroids;
    }
    const c = this.nearest.assign(vec);
    if (c.topic === -1) return a;
    return { topic: c.topic, probability: c.probability, nearest: a.nearest, reduced: true };
  }
}
