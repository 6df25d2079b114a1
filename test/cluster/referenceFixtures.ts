/** Loads test/fixtures/cluster/hdbscan_reference.json (made by make_fixtures.py with the Python package). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMatrix, type Matrix } from '../../src/core/types.js';
import type { HdbscanParams } from '../../src/cluster/options.js';
import type { SingleLinkage } from '../../src/cluster/types.js';
import { FIXTURES } from '../helpers/paths.js';

/** Outputs of one Python fit + approximate_predict. */
export interface ReferenceOutputs {
  labels: Int32Array;
  probabilities: Float32Array | Float64Array;
  predictLabels: Int32Array;
  predictProbabilities: Float32Array | Float64Array;
}

export interface ReferenceRun {
  /** the Python keyword arguments */
  pyParams: Record<string, unknown>;
  params: HdbscanParams;
  /** min_samples as the package resolves it */
  minSamples: number;
  nClusters: number;
  /** the package's default algorithm (approximate Borůvka MST), what BERTopic runs */
  fast: ReferenceOutputs;
  /** its exact algorithm (prims_kdtree), whose single-linkage tree is in the data set */
  exact: ReferenceOutputs & { outlierScores: Float64Array; persistence: number[] };
  /** ARI between the two: how much tie-breaking alone moves the package's own result */
  ariFastVsExact: number;
}

export interface ReferenceDataset {
  name: string;
  points: Matrix;
  heldout: Matrix;
  runs: ReferenceRun[];
  /** exact single-linkage trees by min_samples */
  linkages: Map<number, SingleLinkage>;
}

function decode<T>(s: string, ctor: { new (b: ArrayBuffer): T }): T {
  const bytes = Buffer.from(s, 'base64');
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  return new ctor(buf);
}

function toParams(py: Record<string, unknown>): HdbscanParams {
  const p: HdbscanParams = {};
  if (py.min_cluster_size !== undefined) p.minClusterSize = py.min_cluster_size as number;
  if (py.min_samples !== undefined) p.minSamples = py.min_samples as number;
  if (py.cluster_selection_method !== undefined) p.clusterSelectionMethod = py.cluster_selection_method as 'eom' | 'leaf';
  if (py.cluster_selection_epsilon !== undefined) p.clusterSelectionEpsilon = py.cluster_selection_epsilon as number;
  if (py.allow_single_cluster !== undefined) p.allowSingleCluster = py.allow_single_cluster as boolean;
  return p;
}

let cache: ReferenceDataset[] | null = null;

export function loadReference(): ReferenceDataset[] {
  if (cache) return cache;
  const raw = JSON.parse(readFileSync(path.join(FIXTURES, 'cluster', 'hdbscan_reference.json'), 'utf8'));
  cache = raw.datasets.map((d: any): ReferenceDataset => ({
    name: d.name,
    points: createMatrix(d.n, d.dim, decode(d.points, Float32Array)),
    heldout: createMatrix(d.heldout_n, d.dim, decode(d.heldout, Float32Array)),
    linkages: new Map(Object.entries(d.linkages_exact).map(([ms, l]: [string, any]) => [Number(ms), {
      n: d.n,
      left: decode(l.left, Int32Array),
      right: decode(l.right, Int32Array),
      distance: decode(l.distance, Float64Array),
      size: decode(l.size, Int32Array),
    }])),
    runs: d.runs.map((r: any): ReferenceRun => ({
      pyParams: r.params,
      params: toParams(r.params),
      minSamples: (r.params.min_samples ?? r.params.min_cluster_size) as number,
      nClusters: r.n_clusters,
      fast: {
        labels: decode(r.labels, Int32Array),
        probabilities: decode(r.probabilities, Float32Array),
        predictLabels: decode(r.predict_labels, Int32Array),
        predictProbabilities: decode(r.predict_probabilities, Float32Array),
      },
      exact: {
        labels: decode(r.labels_exact, Int32Array),
        probabilities: decode(r.probabilities_exact, Float64Array),
        outlierScores: decode(r.outlier_scores_exact, Float64Array),
        persistence: r.persistence_exact,
        predictLabels: decode(r.predict_labels_exact, Int32Array),
        predictProbabilities: decode(r.predict_probabilities_exact, Float64Array),
      },
      ariFastVsExact: r.ari_default_vs_exact,
    })),
  }));
  return cache!;
}
