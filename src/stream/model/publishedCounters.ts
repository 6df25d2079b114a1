/**
 * The highest model version and topic id found in what the service already published (the
 * compacted models and topic-updates streams). After a lost or older snapshot the refit owner
 * continues above them: followers only adopt newer model versions, and topic ids are never reused.
 */

export interface RecoveredCounters {
  /** the highest model version published */
  modelVersion: number;
  /** one above the highest topic id published */
  nextTopicId: number;
}

export class CounterTracker {
  private maxVersion = -1;
  private maxTopicId = -1;
  /** messages that could be read */
  seen = 0;
  /** messages that could not (not JSON, not a topicstream message) */
  unreadable = 0;

  version(v: unknown): void {
    if (Number.isInteger(v) && (v as number) > this.maxVersion) this.maxVersion = v as number;
  }

  topicId(id: unknown): void {
    const n = typeof id === 'string' && /^-?\d+$/.test(id) ? Number(id) : id;
    if (Number.isInteger(n) && (n as number) > this.maxTopicId) this.maxTopicId = n as number;
  }

  /** A topic-updates message (value as JSON text): its key, topic_id and model_version. */
  update(key: string | null, value: string | null): void {
    this.topicId(key);
    if (value === null) return; // a tombstone still tells that its key was used
    let u: unknown;
    try {
      u = JSON.parse(value);
    } catch {
      this.unreadable++;
      return;
    }
    this.updateValue(u);
  }

  /** A topic-updates value already parsed. */
  updateValue(u: unknown): void {
    if (typeof u !== 'object' || u === null) {
      this.unreadable++;
      return;
    }
    const { topic_id, model_version } = u as { topic_id?: unknown; model_version?: unknown };
    this.topicId(topic_id);
    this.version(model_version);
    this.seen++;
  }

  /** A models-topic value (JSON text): its model_version and every topic id. */
  model(value: string | null): void {
    if (value === null) return;
    try {
      const m = JSON.parse(value) as { model_version?: unknown; topics?: Array<{ id?: unknown }> };
      this.version(m.model_version);
      if (Array.isArray(m.topics)) for (const t of m.topics) this.topicId(t?.id);
      this.seen++;
    } catch {
      this.unreadable++;
    }
  }

  /** undefined when nothing was published yet. */
  result(): RecoveredCounters | undefined {
    if (this.maxVersion < 0 && this.maxTopicId < 0) return undefined;
    return { modelVersion: Math.max(0, this.maxVersion), nextTopicId: Math.max(0, this.maxTopicId + 1) };
  }
}
