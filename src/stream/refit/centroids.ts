/** Topic centroids in embedding space: the L2-normalised mean of each cluster's embeddings. */
export function centroidsOf(labels: Int32Array, emb: Float32Array, dim: number): Map<number, Float32Array> {
  const sums = new Map<number, Float32Array>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l < 0) continue;
    let s = sums.get(l);
    if (!s) sums.set(l, (s = new Float32Array(dim)));
    for (let j = 0; j < dim; j++) s[j] += emb[i * dim + j]!;
  }
  for (const s of sums.values()) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += s[j]! * s[j]!;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dim; j++) s[j] /= norm;
  }
  return sums;
}
