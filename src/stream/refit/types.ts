/** What crosses the thread boundary for a refit: plain data and typed arrays only. */
import type { TopicWord } from '../../model/topic.js';
import type { TopicTermCounts } from '../../represent/index.js';
import type { InitialLayout } from '../../reduce/index.js';

export type { TopicTermCounts };

export interface ClusterJob {
  embeddings: Float32Array;
  n: number;
  dim: number;
  seed: number;
  /**
   * A warm start (stream.memory.warmStart): the previous refit's UMAP coordinates of the documents
   * that were in it; UMAP starts from them and runs stream.memory.warmEpochs. Absent: a cold start.
   */
  warm?: WarmStart;
  /** zero-shot and seed topics (topics.zeroShot, topics.seedTopics), their strings embedded: src/stream/refit/namedTopics.ts */
  guidance?: GuidanceVectors;
}

/** The embedded seed topics (seedCount × dim) and zero-shot names (nameCount × dim). */
export interface GuidanceVectors {
  seeds: Float32Array;
  seedCount: number;
  names: Float32Array;
  nameCount: number;
  minSimilarity: number;
}

/** The previous refit's layout for the window's documents (rows with known[i] = 0 are new). */
export type WarmStart = InitialLayout;

export interface ClusterJobResult {
  labels: Int32Array;
  probabilities: Float32Array;
  seconds: Record<string, number>;
  /** the UMAP layout (n × umap.nComponents): the next refit's warm start */
  layout?: Float32Array;
  /** the k-NN graph's neighbours (n × k, the document itself first): hysteresis reads them */
  neighbours?: Int32Array;
  k?: number;
  /**
   * With zero-shot names: per document the index of the name it matched (−1: clustered). Matched
   * documents have label −1 and their similarity as probability; only the others were clustered.
   */
  named?: Int32Array;
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
  /**
   * representation.method "keybert": per topic id its c-TF-IDF candidate words and the indices
   * (into texts) of the documents its vector averages; the main thread embeds the words
   * (src/stream/refit/refitRepresentation.ts)
   */
  keybert?: { candidates: Record<string, string[]>; reprDocs: Record<string, number[]> };
}

/** A job for the refit worker. */
export type RefitRequest = { op: 'cluster'; job: ClusterJob } | { op: 'describe'; job: DescribeJob };

export interface Refitter {
  cluster(job: ClusterJob): Promise<ClusterJobResult>;
  describe(job: DescribeJob): Promise<DescribeJobResult>;
  close(): Promise<void>;
}
