/**
 * Role elected (docs/scaling.md): every instance's window is fed from the post-embeddings topic,
 * all its partitions, so the refit owner's model covers the whole stream and any instance can take
 * over with a full window. A consumer group of its own per instance (every instance reads every
 * message); at start each partition is read from its last stream.window.maxDocs messages, which is
 * all a window can hold (documents already in the window from a snapshot are skipped by id).
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { KafkaSource } from './source.js';

export async function startEmbeddingsFeed(
  kafka: Kafka,
  opts: { topic: string; groupPrefix: string; windowDocs: number; batchSize: number },
  log: Logger,
  onMessages: (values: Buffer[]) => Promise<void>,
): Promise<KafkaSource> {
  const admin = kafka.admin();
  await admin.connect();
  const resumeFrom = new Map<number, string>();
  try {
    for (const p of await admin.fetchTopicOffsets(opts.topic)) {
      const from = BigInt(p.high) - BigInt(opts.windowDocs);
      const start = from > BigInt(p.low) ? from : BigInt(p.low);
      // the source resumes after the offset it is given
      resumeFrom.set(p.partition, (start - 1n).toString());
    }
  } finally {
    await admin.disconnect();
  }
  const feedLog = log.child({ feed: opts.topic });
  const source = new KafkaSource(kafka, { topic: opts.topic, groupId: `${opts.groupPrefix}-window-${randomUUID()}`, fromBeginning: true, batchSize: opts.batchSize }, feedLog);
  await source.start((records) => onMessages(records.flatMap((r) => (r.value ? [r.value] : []))), resumeFrom);
  return source;
}
