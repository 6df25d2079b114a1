import type { HdbscanModel } from './model.js';
import { resolveOptions, type HdbscanOptions } from './options.js';
import { float32FromBase64, float64FromBase64, int32FromBase64, toBase64 } from './typedBase64.js';

/**
 * A fitted HDBSCAN model as a plain JSON-able object (typed arrays as base64), for model
 * snapshots. The kd-tree is not stored: it is rebuilt from `data` on the first prediction.
 */
export interface SerializedHdbscanModel {
  format: 'topicstream.hdbscan';
  version: 1;
  options: HdbscanOptions;
  nRows: number;
  dim: number;
  minSamples: number;
  /** base64 Int32Array, or null when every input row was used */
  rowIndex: string | null;
  /** base64 Float32Array (internal points, row-major) */
  data: string;
  /** base64 Float64Array */
  predictionCore: string;
  condensedTree: {
    nPoints: number;
    nClusters: number;
    parent: string; // Int32Array
    child: string; // Int32Array
    lambda: string; // Float64Array (may hold Infinity, which plain JSON cannot)
    childSize: string; // Int32Array
  };
  selected: string; // Int32Array
  labels: string; // Int32Array
  probabilities: string; // Float64Array
  outlierScores: string; // Float64Array
  persistence: string; // Float64Array
}

export function serializeHdbscanModel(m: HdbscanModel): SerializedHdbscanModel {
  const t = m.condensedTree;
  return {
    format: 'topicstream.hdbscan',
    version: 1,
    options: { ...m.options },
    nRows: m.nRows,
    dim: m.dim,
    minSamples: m.minSamples,
    rowIndex: m.rowIndex ? toBase64(m.rowIndex) : null,
    data: toBase64(m.data),
    predictionCore: toBase64(m.predictionCore),
    condensedTree: {
      nPoints: t.nPoints,
      nClusters: t.nClusters,
      parent: toBase64(t.parent),
      child: toBase64(t.child),
      lambda: toBase64(t.lambda),
      childSize: toBase64(t.childSize),
    },
    selected: toBase64(m.selected),
    labels: toBase64(m.labels),
    probabilities: toBase64(m.probabilities),
    outlierScores: toBase64(m.outlierScores),
    persistence: toBase64(m.persistence),
  };
}

export function deserializeHdbscanModel(s: SerializedHdbscanModel): HdbscanModel {
  if (!s || s.format !== 'topicstream.hdbscan') throw new Error('snapshot: not an HDBSCAN model');
  if (s.version !== 1) throw new Error(`snapshot: HDBSCAN model version ${String(s.version)} is not supported`);
  const ct = s.condensedTree;
  const model: HdbscanModel = {
    options: resolveOptions(s.options),
    nRows: s.nRows,
    dim: s.dim,
    minSamples: s.minSamples,
    rowIndex: s.rowIndex === null ? null : int32FromBase64(s.rowIndex, 'rowIndex'),
    data: float32FromBase64(s.data, 'data'),
    predictionCore: float64FromBase64(s.predictionCore, 'predictionCore'),
    condensedTree: {
      nPoints: ct.nPoints,
      nClusters: ct.nClusters,
      parent: int32FromBase64(ct.parent, 'condensedTree.parent'),
      child: int32FromBase64(ct.child, 'condensedTree.child'),
      lambda: float64FromBase64(ct.lambda, 'condensedTree.lambda'),
      childSize: int32FromBase64(ct.childSize, 'condensedTree.childSize'),
    },
    selected: int32FromBase64(s.selected, 'selected'),
    labels: int32FromBase64(s.labels, 'labels'),
    probabilities: float64FromBase64(s.probabilities, 'probabilities'),
    outlierScores: float64FromBase64(s.outlierScores, 'outlierScores'),
    persistence: float64FromBase64(s.persistence, 'persistence'),
  };
  validate(model);
  return model;
}

/** Cheap consistency checks, so a truncated or mixed-up snapshot fails here and not in a predict. */
function validate(m: HdbscanModel): void {
  const np = m.condensedTree.nPoints;
  const fail = (why: string): never => { throw new Error(`snapshot: HDBSCAN model is inconsistent: ${why}`); };
  if (m.data.length !== np * m.dim) fail(`data has ${m.data.length} values for ${np} points x ${m.dim}`);
  if (m.predictionCore.length !== np) fail('predictionCore length');
  if (m.labels.length !== m.nRows || m.probabilities.length !== m.nRows || m.outlierScores.length !== m.nRows) fail('per-row arrays length');
  if ((m.rowIndex ? m.rowIndex.length : m.nRows) !== np) fail('rowIndex length');
  const rows = m.condensedTree.parent.length;
  const t = m.condensedTree;
  if (t.child.length !== rows || t.lambda.length !== rows || t.childSize.length !== rows) fail('condensed tree columns differ in length');
  for (let i = 0; i < rows; i++) {
    if (t.parent[i] < np || t.parent[i] >= np + t.nClusters || t.child[i] < 0 || t.child[i] >= np + t.nClusters) fail(`condensed tree row ${i} out of range`);
  }
  for (const c of m.selected) if (c < 0 || c >= t.nClusters) fail('selected cluster out of range');
  if (m.persistence.length !== m.selected.length) fail('persistence length');
}
