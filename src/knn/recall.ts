import type { KnnGraph } from '../core/types.js';

/**
 * Recall of an approximate k-NN graph against the exact one: the share of the exact neighbours
 * (self excluded, since it is always right) that the approximate graph also lists.
 * Both graphs must have the same n; the approximate one may have any k >= the exact one's.
 */
export function knnRecall(approx: KnnGraph, exact: KnnGraph): number {
  if (approx.n !== exact.n) throw new Error(`knnRecall: graphs have ${approx.n} and ${exact.n} rows`);
  const { n } = exact;
  const ke = exact.k;
  const ka = approx.k;
  if (ke < 2) return 1;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const be = i * ke;
    const ba = i * ka;
    for (let a = 1; a < ke; a++) {
      const want = exact.indices[be + a]!;
      for (let b = 1; b < ka; b++) {
        if (approx.indices[ba + b] === want) { hits++; break; }
      }
    }
  }
  return hits / (n * (ke - 1));
}
