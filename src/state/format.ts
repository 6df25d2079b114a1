/**
 * The snapshot format, topicstream-state/2: one folder with
 *   state.json    counters, offsets, topic registry, carried c-TF-IDF counts, centroids
 *   docs.jsonl    the window's documents, oldest first, one JSON object a line
 *   vectors.f32   their embeddings, little-endian float32, n_docs × dim
 *   manifest.json byte length and sha256 of each of the three, plus a sha256 of the manifest itself
 * The manifest is written last, so a folder without a valid one is never a complete snapshot.
 * topicstream-state/1 (no manifest, no checksums) is still read.
 */
import type { TopicState } from '../stream/topicRegistry.js';
import type { ProcessorSnapshot } from '../stream/snapshotTypes.js';
import type { TopicTermCounts } from '../stream/refit/types.js';

export const STATE_FORMAT = 'topicstream-state/2';
export const STATE_FORMAT_V1 = 'topicstream-state/1';
export const MANIFEST_FORMAT = 'topicstream-manifest/1';

export const STATE_FILE = 'state.json';
export const DOCS_FILE = 'docs.jsonl';
export const VECTORS_FILE = 'vectors.f32';
export const MANIFEST_FILE = 'manifest.json';
/** The data files every snapshot holds, in the order they are written (the manifest comes after them). */
export const DATA_FILES = [DOCS_FILE, VECTORS_FILE, STATE_FILE] as const;

export interface StateFile {
  format: string;
  saved_at: string;
  dim: number;
  n_docs: number;
  model_id: string;
  model_version: number;
  next_topic_id: number;
  offsets: Record<string, string>;
  source: string;
  topics: TopicState[];
  prior?: PlainCounts;
  centroids?: Record<string, number[]>;
}

export interface LoadedState extends ProcessorSnapshot {
  source: string;
  savedAt: string;
  format: string;
  /** the folder it was read from: current/ or, after a crash or corruption, previous/ */
  from: 'current' | 'previous';
}

/** The carried c-TF-IDF counts in JSON form (typed arrays as plain arrays). */
export interface PlainCounts {
  topicIds: number[];
  vocabulary: string[];
  rows: number;
  cols: number;
  indptr: number[];
  indices: number[];
  data: number[];
}

export function toPlain(c: TopicTermCounts): PlainCounts {
  const m = c.counts;
  return { topicIds: Array.from(c.topicIds), vocabulary: [...c.vocabulary], rows: m.rows, cols: m.cols, indptr: Array.from(m.indptr), indices: Array.from(m.indices), data: Array.from(m.data) };
}

export function fromPlain(p: PlainCounts): TopicTermCounts {
  return {
    topicIds: Int32Array.from(p.topicIds),
    vocabulary: p.vocabulary,
    counts: { rows: p.rows, cols: p.cols, indptr: Int32Array.from(p.indptr), indices: Int32Array.from(p.indices), data: Float64Array.from(p.data) },
  };
}
