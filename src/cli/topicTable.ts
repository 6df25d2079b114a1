/** The topic-size table `fit` prints: one row per topic, outliers (-1) first, as BERTopic's get_topic_info. */
import type { Topic } from '../model/topic.js';

export function formatTopicTable(topics: readonly Topic[], total: number, maxRows = 50, nWords = 8): string {
  const sorted = [...topics].sort((a, b) => (a.id === -1 ? -1 : b.id === -1 ? 1 : a.id - b.id));
  const rows = sorted.slice(0, maxRows).map((t) => {
    const pct = total > 0 ? ((100 * t.size) / total).toFixed(1) : '0.0';
    const words = t.id === -1 ? '(outliers)' + (t.words.length ? ' ' + t.words.slice(0, nWords).map((w) => w.word).join(', ') : '') : t.words.slice(0, nWords).map((w) => w.word).join(', ');
    return `${String(t.id).padStart(5)}  ${String(t.size).padStart(6)}  ${pct.padStart(5)}%  ${words}`;
  });
  const head = `topic    size      %   top words`;
  const more = sorted.length > maxRows ? `\n  ... ${sorted.length - maxRows} more topics in topics.json` : '';
  return [head, ...rows].join('\n') + more;
}
