/**
 * Pairs of (true label, predicted label) as dense integer codes, for the clustering metrics.
 * Documents whose true label (or prediction) is null/undefined are left out, so an input with only
 * some documents labelled is scored on those. Codes follow first appearance.
 */
export type Label = string | number | null | undefined;

export interface LabelCodes {
  /** Code of the true class per kept document. */
  readonly truth: Int32Array;
  /** Code of the predicted cluster per kept document. */
  readonly pred: Int32Array;
  readonly nClasses: number;
  readonly nClusters: number;
}

export function encodeLabelPairs(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): LabelCodes {
  if (labelsTrue.length !== labelsPred.length) {
    throw new Error(`labelsTrue has ${labelsTrue.length} entries, labelsPred ${labelsPred.length}`);
  }
  const tCodes = new Map<string | number, number>();
  const pCodes = new Map<string | number, number>();
  const truth: number[] = [];
  const pred: number[] = [];
  for (let i = 0; i < labelsTrue.length; i++) {
    const t = labelsTrue[i];
    const p = labelsPred[i];
    if (t === null || t === undefined || p === null || p === undefined) continue;
    let tc = tCodes.get(t);
    if (tc === undefined) tCodes.set(t, (tc = tCodes.size));
    let pc = pCodes.get(p);
    if (pc === undefined) pCodes.set(p, (pc = pCodes.size));
    truth.push(tc);
    pred.push(pc);
  }
  return { truth: Int32Array.from(truth), pred: Int32Array.from(pred), nClasses: tCodes.size, nClusters: pCodes.size };
}
