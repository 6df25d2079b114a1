/**
 * Adjusted Rand index between two labelings (Hubert & Arabie 1985), as scikit-learn's
 * adjusted_rand_score: every distinct value, -1 included, is one class. 1 = identical partitions,
 * about 0 = chance agreement.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error(`ari: labelings have ${n} and ${b.length} elements`);
  if (n <= 1) return 1;
  const ia = denseIds(a);
  const ib = denseIds(b);
  const nb = ib.count;
  const joint = new Map<number, number>();
  const rowSum = new Float64Array(ia.count);
  const colSum = new Float64Array(nb);
  for (let i = 0; i < n; i++) {
    const x = ia.ids[i];
    const y = ib.ids[i];
    rowSum[x]++;
    colSum[y]++;
    const key = x * nb + y;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const pairs = (m: number): number => (m * (m - 1)) / 2;
  let sumJoint = 0;
  for (const v of joint.values()) sumJoint += pairs(v);
  let sumA = 0;
  for (const v of rowSum) sumA += pairs(v);
  let sumB = 0;
  for (const v of colSum) sumB += pairs(v);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  // both partitions trivial in the same way (all one class, or all singletons)
  if (max === expected) return 1;
  return (sumJoint - expected) / (max - expected);
}

function denseIds(labels: ArrayLike<number>): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = map.get(labels[i]);
    if (id === undefined) {
      id = map.size;
      map.set(labels[i], id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}
