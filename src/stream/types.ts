/**
 * The streaming service's edges: a Source delivers raw records in batches and learns when they are
 * safely processed; a Sink publishes keyed messages and resolves only once they are durable
 * (for Kafka: acknowledged by the broker). Kafka, a replayed file and an in-memory pair for unit
 * tests all sit behind these two interfaces.
 */

/** One input record, as it came in. */
export interface RawRecord {
  /** source topic or file name */
  topic: string;
  partition: number;
  /** Kafka offset, or the line number for a file */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** broker/append time, epoch ms */
  timestamp: number;
}

/** Called by a source for each batch; the source commits the batch only after it resolves. */
export type BatchHandler = (records: RawRecord[]) => Promise<void>;

export interface Source {
  readonly name: string;
  /**
   * Starts delivering. `resumeFrom`: per partition, the first offset to deliver (used after a
   * restart from a snapshot, to re-read what the snapshot does not hold); sources that cannot seek ignore it.
   */
  start(onBatch: BatchHandler, resumeFrom?: Map<number, string>): Promise<void>;
  /** Resolves when a finite source (a file) has delivered everything and the handler finished. */
  finished(): Promise<void>;
  /** True when connected / readable. */
  ready(): boolean;
  stop(): Promise<void>;
  /** Per partition, how far behind the end the source is (Kafka lag); undefined when unknown. */
  lag?(): Promise<Map<number, number> | undefined>;
}

export interface OutMessage {
  key: string | null;
  value: string;
  headers?: Record<string, string>;
}

/** Logical output streams; a sink maps them to topic names (or file names). */
export type OutStream = 'assignments' | 'updates' | 'events' | 'dlq' | 'models' | 'history' | 'embeddings';

export interface Sink {
  readonly name: string;
  /** Resolves once every message is durable. */
  send(stream: OutStream, messages: OutMessage[]): Promise<void>;
  close(): Promise<void>;
}
