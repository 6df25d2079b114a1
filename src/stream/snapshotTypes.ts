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

/** The state a snapshot records (centroids and offsets as plain JSON). */
export function processorState(s: { modelVersion: number; nextTopicId: number; centroids: ReadonlyMap<number, Float32Array>; offsets?: ReadonlyMap<number, string>; prior?: TopicTermCounts }): ProcessorState {
  return {
    modelVersion: s.modelVersion,
    nextTopicId: s.nextTopicId,
    ...(s.prior ? { prior: s.prior } : {}),
    centroids: Object.fromEntries([...s.centroids].map(([k, v]) => [String(k), Array.from(v)])),
    offsets: Object.fromEntries([...(s.offsets ?? [])].map(([p, o]) => [String(p), o])),
  };
}
