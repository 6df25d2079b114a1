/** What the processor hands to a snapshot and takes back from one (docs/design.md, "Snapshot format"). */
import type { TopicState } from './topicRegistry.js';
import type { TopicTermCounts } from './refit/types.js';
import type { WindowDoc } from './window/windowStore.js';

/** The processor's state besides the window's documents and vectors. */
export interface ProcessorState {
  modelVersion: number;
  nextTopicId: number;
  prior?: TopicTermCounts;
  centroids: Record<string, number[]>;
  /** per partition, the offset of the last record handled */
  offsets: Record<string, string>;
}

/** A consistent copy of everything a snapshot holds. */
export interface ProcessorSnapshot {
  /** the window's documents, oldest first */
  docs: WindowDoc[];
  /** their embeddings, n × dim */
  vectors: Float32Array;
  dim: number;
  topics: TopicState[];
  state: ProcessorState;
}
