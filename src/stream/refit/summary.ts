/** What one applied refit reports (log line, console table, metrics, status API). */
import type { TopicEvent } from '../messages.js';
import type { Persistence } from '../identity/persistence.js';

export interface RefitSummary {
  modelVersion: number;
  windowDocs: number;
  /** the newest document the refit saw (its sequence number in the window; -1: none) */
  lastSeq: number;
  topics: number;
  outliers: number;
  events: TopicEvent[];
  changed: number;
  seconds: Record<string, number>;
  /** mean Jaccard overlap of topics that kept their id (NaN at the first refit) */
  stability: number;
  /** of the documents in a topic before the refit and still in the window: the share that kept its id, the best relabelling's share, the share now outliers */
  persistence: Persistence;
}
