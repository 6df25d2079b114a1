/**
 * Leave-one-out k-NN classification accuracy of labelled points in an embedding: each point gets
 * the majority label of its k nearest other points (ties go to the nearer neighbour's label).
 * A common check that an embedding keeps classes apart.
 */
import type { Matrix } from '../../core/types.js';
import { bruteForceKnn, type KnnMetric } from '../../knn/bruteForceKnn.js';

export function knnAccuracy(x: Matrix, labels: Int32Array, k = 15, metric: KnnMetric = 'euclidean'): number {
  const n = x.rows;
  if (labels.length !== n) throw new Error(`knnAccuracy: ${n} rows but ${labels.length} labels`);
  const g = bruteForceKnn(x, k + 1, metric);
  let nLabels = 0;
  for (let i = 0; i < n; i++) nLabels = Math.max(nLabels, labels[i]! + 1);
  const votes = new Int32Array(nLabels);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    votes.fill(0);
    let best = -1;
    let bestVotes = 0;
    for (let a = 1; a <= k; a++) {
      const l = labels[g.indices[i * (k + 1) + a]!]!;
      votes[l]++;
      // strictly more votes wins, so on ties the label reached first (nearer) stays
      if (votes[l]! > bestVotes) {
        bestVotes = votes[l]!;
        best = l;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct / n;
}
