/**
 * BERTopic's _sort_mappings_by_frequency: topics renumbered by size, the largest 0; -1 stays -1.
 * Equal sizes: BERTopic leaves their order to pandas' (unstable) quicksort; here the topic holding
 * the lowest topic id of before the merge comes first, so a reduction that merges nothing keeps
 * the numbering.
 */
export function sortByFrequency(labels: Int32Array, firstIdOf?: (topic: number) => number): { labels: Int32Array; mapping: Map<number, number> } {
  const sizes = new Map<number, number>();
  for (const l of labels) if (l >= 0) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  const key = firstIdOf ?? ((t: number) => t);
  const order = [...sizes.keys()].map((id) => ({ id, key: key(id), size: sizes.get(id)! })).sort((a, b) => b.size - a.size || a.key - b.key);
  const mapping = new Map<number, number>([[-1, -1]]);
  order.forEach((e, rank) => mapping.set(e.id, rank));
  return { labels: labels.map((l) => mapping.get(l)!), mapping };
}
