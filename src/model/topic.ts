/** A topic as the pipeline, the outputs and the service describe it. */
import { readableLabel } from '../represent/topicLabel.js';

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
  /** `fit`: BERTopic's "<id>_<w1>_<w2>_<w3>_<w4>"; the service: readable ("w1, w2, w3, w4", topicLabel) */
  label: string;
  representativeDocIds: string[];
  representativeDocs: string[];
}

/** The service's automatic label: the topic's first words, readable ("border, wall, mexico, ..."); -1 is "outliers". */
export function topicLabel(id: number, words: readonly TopicWord[]): string {
  return readableLabel(id, words);
}
