import type { ClusterResult, Matrix, SyncClusterer } from '../core/types.js';
import { fitHdbscan } from './hdbscan.js';
import type { HdbscanModel } from './model.js';
import type { HdbscanParams } from './options.js';
import { resolveOptions } from './options.js';
import { approximatePredict, type Prediction } from './predict.js';
import { deserializeHdbscanModel, serializeHdbscanModel, type SerializedHdbscanModel } from './serialize.js';

/**
 * The pipeline's clusterer stage: HDBSCAN with BERTopic's defaults (min_cluster_size 10,
 * min_samples = min_cluster_size, euclidean, 'eom'), keeping the fitted model for predictions
 * and snapshots.
 *
 *   const c = new HdbscanClusterer({ minClusterSize: 15 });
 *   const { labels, probabilities } = await c.fit(umapOutput);
 *   const assigned = c.predict(newPoints);
 */
export class HdbscanClusterer implements SyncClusterer {
  private fitted: HdbscanModel | null = null;
  private readonly params: HdbscanParams;

  constructor(params: HdbscanParams = {}) {
    resolveOptions(params); // fail on bad options now, not at the first refit
    this.params = { ...params };
  }

  /** The fitted model (throws before fit). */
  get model(): HdbscanModel {
    if (!this.fitted) throw new Error('HdbscanClusterer: not fitted yet');
    return this.fitted;
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  async fit(x: Matrix): Promise<ClusterResult> {
    return this.fitSync(x);
  }

  /** `fit` in the calling thread (HDBSCAN runs synchronously either way). */
  fitSync(x: Matrix): ClusterResult {
    const model = fitHdbscan(x, this.params);
    this.fitted = model;
    return { labels: model.labels, probabilities: Float32Array.from(model.probabilities) };
  }

  /** Labels for new points in the fitted clustering (hdbscan.approximate_predict). */
  predict(points: Matrix): Prediction {
    return approximatePredict(this.model, points);
  }

  toJSON(): SerializedHdbscanModel {
    return serializeHdbscanModel(this.model);
  }

  static fromJSON(s: SerializedHdbscanModel): HdbscanClusterer {
    const model = deserializeHdbscanModel(s);
    const c = new HdbscanClusterer(model.options);
    c.fitted = model;
    return c;
  }
}
