/** What crosses the thread boundary for a refit: plain data and typed arrays only. */
import type { TopicWord } from '../../model/topic.js';

export interface ClusterJob {
  embeddings: Float32Array;
  n: number;
  dim: number;
  seed: number;
}

export interface ClusterJobResult {
  labels: Int32Array;
  probabilities: Float32Array;
  seconds: Record<string, number>;
}

/** Per topic id, word → count, carried (decayed) from one window to the next. */
export type TopicCounts = Record<string, Record<string, number>>;

export interface DescribeJob {
  texts: string[];
  /** topic id per text (-1 outliers) */
  topics: Int32Array;
  /** counts carried from the previous window, already multiplied by the decay */
  prior?: TopicCounts;
  /** how many words to keep per topic */
  nWords: number;
}

export interface DescribeJobResult {
  /** topic id → words, best first */
  words: Record<string, TopicWord[]>;
  /** topic id → indices (into texts) of representative documents */
  representatives: Record<string, number[]>;
  /** this window's counts per topic (for the next window's prior) */
  counts: TopicCounts;
  seconds: number;
}

export interface Refitter {
  cluster(job: ClusterJob): Promise<ClusterJobResult>;
  describe(job: DescribeJob): Promise<DescribeJobResult>;
  close(): Promise<void>;
}
