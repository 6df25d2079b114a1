/** Creates the service's topics when missing; topic-updates and topic-models are compacted (latest state per key), topic-events, topic-history and post-embeddings keep everything (retention). */
import type { Kafka } from 'kafkajs';
import type { Config } from '../config/schema.js';

export async function ensureTopics(kafka: Kafka, cfg: Config['kafka'], partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const t = cfg.topics;
    const wanted = [
      { topic: t.posts, numPartitions: partitions },
      { topic: t.assignments, numPartitions: partitions },
      { topic: t.updates, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: t.events, numPartitions: 1 },
      { topic: t.history, numPartitions: 1 },
      { topic: t.dlq, numPartitions: 1 },
      { topic: t.models, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      // role elected (docs/scaling.md): created by every role, so that a group can switch to it
      { topic: t.embeddings, numPartitions: partitions },
      { topic: t.coordination, numPartitions: 1 },
    ].filter((x) => !existing.has(x.topic));
    if (wanted.length) await admin.createTopics({ topics: wanted, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
