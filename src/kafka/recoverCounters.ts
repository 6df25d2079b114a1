/**
 * Reads the compacted topics the service publishes (kafka.topics.models: the latest model;
 * kafka.topics.updates: the latest state of every topic id ever used) from their beginning to their
 * end offsets as of the call, and returns the highest model version and topic id found, so a refit
 * owner that lost its state (or restored an older snapshot) continues above them. A missing or
 * empty topic has nothing to recover. Bounded in time: past the deadline, what was read is used.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { CounterTracker, type RecoveredCounters } from '../stream/model/publishedCounters.js';

export const RECOVER_TIMEOUT_MS = 30_000;

export interface RecoverCountersOptions {
  models: string;
  updates: string;
  /** prefix of the short-lived consumer group (deleted afterwards) */
  groupPrefix: string;
  timeoutMs?: number;
}

type Handler = (topic: string, key: string | null, value: string | null) => void;

/** Per existing, non-empty topic: each non-empty partition's end offset. */
async function endOffsets(admin: Admin, topics: string[]): Promise<Map<string, Map<number, bigint>>> {
  const existing = new Set(await admin.listTopics());
  const out = new Map<string, Map<number, bigint>>();
  for (const topic of topics.filter((t) => existing.has(t))) {
    const parts = new Map<number, bigint>();
    for (const p of await admin.fetchTopicOffsets(topic)) if (BigInt(p.high) > BigInt(p.low)) parts.set(p.partition, BigInt(p.high));
    if (parts.size) out.set(topic, parts);
  }
  return out;
}

/** Reads every partition in `ends` up to its end offset; false when the deadline came first. */
async function readToEnd(kafka: Kafka, groupId: string, ends: Map<string, Map<number, bigint>>, onMessage: Handler, timeoutMs: number): Promise<boolean> {
  const pending = new Set<string>();
  for (const [topic, parts] of ends) for (const p of parts.keys()) pending.add(`${topic}:${p}`);
  let finish!: (complete: boolean) => void;
  const done = new Promise<boolean>((resolve) => (finish = resolve));
  const timer = setTimeout(() => finish(false), timeoutMs);
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250, allowAutoTopicCreation: false });
  const work = (async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [...ends.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) onMessage(batch.topic, m.key ? m.key.toString('utf8') : null, m.value ? m.value.toString('utf8') : null);
        const last = batch.messages.at(-1);
        const end = ends.get(batch.topic)?.get(batch.partition);
        if (last && end !== undefined && BigInt(last.offset) + 1n >= end) pending.delete(`${batch.topic}:${batch.partition}`);
        if (pending.size === 0) finish(true);
      },
    });
    return done;
  })();
  try {
    return await Promise.race([work, done]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

export async function recoverCountersFromKafka(kafka: Kafka, o: RecoverCountersOptions, log: Logger): Promise<RecoveredCounters | undefined> {
  const started = Date.now();
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${o.groupPrefix}-recover-counters-${randomUUID()}`;
  let consumed = false;
  try {
    const ends = await endOffsets(admin, [o.models, o.updates]);
    if (ends.size === 0) return undefined;
    const t = new CounterTracker();
    consumed = true;
    const complete = await readToEnd(kafka, groupId, ends, (topic, key, value) => (topic === o.models ? t.model(value) : t.update(key, value)), o.timeoutMs ?? RECOVER_TIMEOUT_MS);
    const r = t.result();
    const fields = { topics: [...ends.keys()], messages: t.seen, unreadable: t.unreadable, recovered: r, ms: Date.now() - started };
    if (complete) log.info(fields, 'read the model version and topic ids already published');
    else log.warn(fields, 'timed out reading the published model version and topic ids; continuing above what was read');
    return r;
  } finally {
    if (consumed) await admin.deleteGroups([groupId]).catch((e: unknown) => log.debug({ err: e, groupId }, 'could not delete the counter-recovery consumer group'));
    await admin.disconnect();
  }
}
