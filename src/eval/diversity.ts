/**
 * Topic diversity (Dieng et al. 2020, as OCTIS's TopicDiversity): the number of distinct words
 * among the first topK (25) words of every topic, divided by the number of those words, leaving
 * out the outlier topic −1. A topic with fewer than topK words contributes the words it has
 * (OCTIS refuses such topics instead). NaN when there are no words.
 */
import { firstWords, OUTLIER_TOPIC, type TopicWordList } from './topicWordsInput.js';

export function topicDiversity(topics: readonly TopicWordList[], options: { topK?: number } = {}): number {
  const topK = options.topK ?? 25;
  const unique = new Set<string>();
  let total = 0;
  for (const t of topics) {
    if (t.id === OUTLIER_TOPIC) continue;
    for (const w of firstWords(t, topK)) {
      unique.add(w);
      total++;
    }
  }
  return total > 0 ? unique.size / total : NaN;
}
