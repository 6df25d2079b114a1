/**
 * Which failures are the input's fault and which are the infrastructure's. A batch that fails with a
 * transient error (broker away, embedding pool restarting) is retried as a whole until it goes
 * through: nothing is dead-lettered for an outage. Any other failure is pinned on a record: the
 * batch is split, and a record that keeps failing goes to the DLQ (docs/design.md, "Poison input").
 */

/** The infrastructure failed, not the record: retry later. `retriable` makes kafkajs restart its consumer. */
export class TransientError extends Error {
  override name = 'TransientError';
  readonly transient = true;
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One output message is larger than the broker takes (kafka.maxOutputBytes). */
export class OutputTooLargeError extends Error {
  override name = 'OutputTooLargeError';
  constructor(readonly bytes: number, readonly limit: number, readonly stream: string) {
    super(`a ${stream} message of ${bytes} bytes exceeds the ${limit}-byte output limit (kafka.maxOutputBytes)`);
  }
}

const TRANSIENT_KAFKA = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
]);

/** True for failures of the infrastructure (retry the batch), false for failures a record may cause. */
export function isTransient(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { transient?: unknown; name?: unknown; retriable?: unknown; cause?: unknown };
  if (err.transient === true) return true;
  // a worker pool that is restarting too often or closing fails every job alike: not the record's doing
  if (err.name === 'WorkerError') return (e as { code?: unknown }).code === 'restart-limit' || (e as { code?: unknown }).code === 'closed';
  if (typeof err.name === 'string' && err.name.startsWith('KafkaJS')) return err.retriable === true || TRANSIENT_KAFKA.has(err.name);
  return false;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
