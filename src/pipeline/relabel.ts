/** BERTopic numbers topics by size: 0 is the largest; -1 (outliers) stays -1. */
export function relabelBySize(labels: Int32Array): Int32Array {
  const counts = new Map<number, number>();
  for (const l of labels) if (l >= 0) counts.set(l, (counts.get(l) ?? 0) + 1);
  // ties broken by the old label so the result is deterministic
  const order = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const map = new Map<number, number>();
  order.forEach(([old], i) => map.set(old, i));
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = labels[i]! < 0 ? -1 : map.get(labels[i]!)!;
  return out;
}
