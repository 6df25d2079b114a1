/** A topic as the pipeline, the outputs and the service describe it. */
export interface TopicWord {
  word: string;
  score: number;
}

export interface Topic {
  /** -1 is the outlier topic */
  id: number;
  size: number;
  /** top words by c-TF-IDF score, best first (at least topNWords; more are kept for diversity scoring) */
  words: TopicWord[];
  /** BERTopic-style label: "<id>_<w1>_<w2>_<w3>_<w4>" */
  label: string;
  representativeDocIds: string[];
  representativeDocs: string[];
}

export function topicLabel(id: number, words: readonly TopicWord[]): string {
  return [String(id), ...words.slice(0, 4).map((w) => w.word)].join('_');
}
