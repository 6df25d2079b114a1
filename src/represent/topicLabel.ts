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
