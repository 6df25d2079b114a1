/** A topic as the topic-quality metrics take it: its id and its words, best first. */
export interface TopicWordList {
  readonly id: number;
  readonly words: readonly (string | { readonly word: string })[];
}

export const OUTLIER_TOPIC = -1;

/** The first n words of a topic as strings. */
export function firstWords(t: TopicWordList, n: number): string[] {
  return t.words.slice(0, n).map((w) => (typeof w === 'string' ? w : w.word));
}
