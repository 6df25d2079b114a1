/** Agreement measures between our fit/predict and a Python reference run. */
import { adjustedRandIndex } from '../../src/eval/ari.js';
import type { HdbscanModel } from '../../src/cluster/model.js';
import type { Prediction } from '../../src/cluster/predict.js';
import type { ReferenceOutputs } from './referenceFixtures.js';

export interface Agreement {
  clusters: number;
  refClusters: number;
  ari: number;
  /** Jaccard index of the two noise sets */
  noiseJaccard: number;
  /** mean |our probability - theirs| */
  probMae: number;
  /** held-out points given the same label by approximatePredict (our labels mapped to theirs) */
  predictAgree: number;
  predictProbMae: number;
}

export function compareOutputs(model: HdbscanModel, pred: Prediction, ref: ReferenceOutputs): Agreement {
  const ours = model.labels;
  const theirs = ref.labels;
  const n = ours.length;
  let inter = 0;
  let union = 0;
  let probErr = 0;
  for (let i = 0; i < n; i++) {
    const a = ours[i] < 0;
    const b = theirs[i] < 0;
    if (a && b) inter++;
    if (a || b) union++;
    probErr += Math.abs(model.probabilities[i] - ref.probabilities[i]);
  }
  const map = matchLabels(ours, theirs);
  let agree = 0;
  let pErr = 0;
  const m = pred.labels.length;
  for (let i = 0; i < m; i++) {
    const mapped = pred.labels[i] < 0 ? -1 : map.get(pred.labels[i]) ?? -2;
    if (mapped === ref.predictLabels[i]) agree++;
    pErr += Math.abs(pred.probabilities[i] - ref.predictProbabilities[i]);
  }
  return {
    clusters: countClusters(ours),
    refClusters: countClusters(theirs),
    ari: adjustedRandIndex(ours, theirs),
    noiseJaccard: union === 0 ? 1 : inter / union,
    probMae: probErr / n,
    predictAgree: m === 0 ? 1 : agree / m,
    predictProbMae: m === 0 ? 0 : pErr / m,
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m || Number.isNaN(d)) m = Number.isNaN(d) && !(Number.isNaN(a[i]) && Number.isNaN(b[i])) ? Infinity : Math.max(m, d || 0);
  }
  return m;
}

function countClusters(labels: Int32Array): number {
  let k = 0;
  for (const l of labels) if (l + 1 > k) k = l + 1;
  return k;
}

/** Our label -> their label by majority overlap (labels may be numbered differently). */
export function matchLabels(ours: Int32Array, theirs: Int32Array): Map<number, number> {
  const counts = new Map<number, Map<number, number>>();
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] < 0) continue;
    let row = counts.get(ours[i]);
    if (!row) counts.set(ours[i], (row = new Map()));
    row.set(theirs[i], (row.get(theirs[i]) ?? 0) + 1);
  }
  const out = new Map<number, number>();
  for (const [a, row] of counts) {
    let best = -1;
    let bestN = -1;
    for (const [b, c] of row) if (c > bestN) { bestN = c; best = b; }
    out.set(a, best);
  }
  return out;
}
