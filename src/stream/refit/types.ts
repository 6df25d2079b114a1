/** What crosses the thread boundary for a refit: plain data and typed arrays only. */
import type { TopicWord } from '../../model/topic.js';
import type { TopicTermCounts } from '../../represent/index.js';

export type { TopicTermCounts };

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

export interface DescribeJob {
  texts: string[];
  /** topic id per text (-1 outliers), already matched to the stable ids */
  topics: Int32Array;
  /** counts carried from the previous window (by topic id) and their weight */
  prior?: TopicTermCounts | null;
  decay: number;
  seed: number;
}

export interface DescribeJobResult {
  /** topic id → words, best first */
  words: Record<string, TopicWord[]>;
  /** topic id → indices (into texts) of representative documents */
  representatives: Record<string, number[]>;
  /** this window's counts per topic (plus the decayed prior): the next window's prior */
  counts: TopicTermCounts;
  seconds: number;
}

/** A job for the refit worker. */
export type RefitRequest = { op: 'cluster'; job: ClusterJob } | { op: 'describe'; job: DescribeJob };

export interface Refitter {
  cluster(job: ClusterJob): Promise<ClusterJobResult>;
  describe(job: DescribeJob): Promise<DescribeJobResult>;
  close(): Promise<void>;
}
