/** HDBSCAN parameters, named and defaulted as BERTopic configures the `hdbscan` package. */

export type ClusterSelectionMethod = 'eom' | 'leaf';
export type MstAlgorithm = 'auto' | 'boruvka' | 'prim';

export interface HdbscanOptions {
  /** smallest group of points that counts as a cluster (default 10) */
  minClusterSize: number;
  /** neighbours that define a point's core distance; default = minClusterSize */
  minSamples?: number;
  /** 'eom' (excess of mass, default) or 'leaf' */
  clusterSelectionMethod: ClusterSelectionMethod;
  /** clusters split below this distance are merged back (default 0 = off) */
  clusterSelectionEpsilon: number;
  /** let the root be selected as the single cluster (default false) */
  allowSingleCluster: boolean;
  /** only 'euclidean' is implemented (BERTopic's default on UMAP output) */
  metric: 'euclidean';
  /** kd-tree leaf size (default 32) */
  leafSize: number;
  /**
   * 'auto' = Borůvka on a kd-tree up to `primAboveDim` dimensions (default 15), Prim's dense scan
   * above, where kd-trees stop pruning (10k points: Borůvka wins 4x at 5-d, ties at 10-d, loses
   * 2.5x at 20-d)
   */
  mstAlgorithm: MstAlgorithm;
  primAboveDim: number;
}

export type HdbscanParams = Partial<HdbscanOptions>;

export const HDBSCAN_DEFAULTS: Readonly<HdbscanOptions> = Object.freeze({
  minClusterSize: 10,
  clusterSelectionMethod: 'eom',
  clusterSelectionEpsilon: 0,
  allowSingleCluster: false,
  metric: 'euclidean',
  leafSize: 32,
  mstAlgorithm: 'auto',
  primAboveDim: 15,
});

export function resolveOptions(params: HdbscanParams = {}): HdbscanOptions {
  const o: HdbscanOptions = { ...HDBSCAN_DEFAULTS, ...dropUndefined(params) };
  if (!Number.isInteger(o.minClusterSize) || o.minClusterSize < 2) {
    throw new Error(`hdbscan: minClusterSize must be an integer >= 2, got ${o.minClusterSize}`);
  }
  if (o.minSamples !== undefined && (!Number.isInteger(o.minSamples) || o.minSamples < 1)) {
    throw new Error(`hdbscan: minSamples must be a positive integer, got ${o.minSamples}`);
  }
  if (o.clusterSelectionMethod !== 'eom' && o.clusterSelectionMethod !== 'leaf') {
    throw new Error(`hdbscan: clusterSelectionMethod must be 'eom' or 'leaf', got ${String(o.clusterSelectionMethod)}`);
  }
  if (!(o.clusterSelectionEpsilon >= 0) || !Number.isFinite(o.clusterSelectionEpsilon)) {
    throw new Error(`hdbscan: clusterSelectionEpsilon must be a finite number >= 0, got ${o.clusterSelectionEpsilon}`);
  }
  if (o.metric !== 'euclidean') throw new Error(`hdbscan: only the euclidean metric is implemented, got ${String(o.metric)}`);
  if (!Number.isInteger(o.leafSize) || o.leafSize < 1) throw new Error(`hdbscan: leafSize must be a positive integer, got ${o.leafSize}`);
  if (o.mstAlgorithm !== 'auto' && o.mstAlgorithm !== 'boruvka' && o.mstAlgorithm !== 'prim') {
    throw new Error(`hdbscan: mstAlgorithm must be 'auto', 'boruvka' or 'prim', got ${String(o.mstAlgorithm)}`);
  }
  return o;
}

/** min_samples as given (or min_cluster_size), before it is clamped to the data size. */
export function rawMinSamples(o: HdbscanOptions): number {
  return o.minSamples ?? o.minClusterSize;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
