/**
 * A topic's name as BERTopic's get_topic_info shows it: `"<id>_<w1>_<w2>_<w3>_<w4>"`
 * (`f"{topic}_" + "_".join(words[:4])`). A topic with fewer words uses what it has.
 */
export function topicLabel(
  id: number,
  words: readonly (string | { word: string })[],
  nWords = 4,
  separator = '_',
): string {
  const w = words.slice(0, nWords).map((x) => (typeof x === 'string' ? x : x.word));
  return [String(id), ...w].join(separator);
}

/** The outlier topic's readable label. */
export const OUTLIER_LABEL = 'outliers';

/**
 * A topic's readable label, as the service shows it: its first `nWords` words joined by ", "
 * ("border, wall, mexico, immigration"). A word adds nothing (and is skipped) when each of its
 * tokens is in the label already ("border wall" after "border" and "wall"). Topic -1 is "outliers";
 * a topic without words is its id.
 */
export function readableLabel(id: number, words: readonly (string | { word: string })[], nWords = 4): string {
  if (id === -1) return OUTLIER_LABEL;
  const picked: string[] = [];
  const seen = new Set<string>();
  for (const x of words) {
    if (picked.length >= nWords) break;
    const w = typeof x === 'string' ? x : x.word;
    const tokens = w.split(' ');
    if (tokens.every((t) => seen.has(t))) continue;
    picked.push(w);
    for (const t of tokens) seen.add(t);
  }
  return picked.length ? picked.join(', ') : String(id);
}
