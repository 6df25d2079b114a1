/**
 * Reads the compacted topics the service publishes (kafka.topics.models: the latest model;
 * kafka.topics.updates: the latest state of every topic id ever used) from their beginning to their
 * end offsets as of the call, and returns the highest model version and topic id found, so a refit
 * owner that lost its state (or restored an older snapshot) continues above them. A missing or
 * empty topic has nothing to recover. Bounded in time: once reading has begun, what was read by the
 * deadline is used; failing to begin by then is an error.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { CounterTracker, type RecoveredCounters } from '../stream/model/publishedCounters.js';

const RECOVER_TIMEOUT_MS = 30_000;

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

/**
 * Retries (with backoff) until the deadline: right after the topics were created, or while the
 * broker moves leadership, the offsets request can fail. Past the deadline it throws, naming the
 * topics: starting without knowing the counters could reuse topic ids.
 */
export async function recoverCountersFromKafka(kafka: Kafka, o: RecoverCountersOptions, log: Logger): Promise<RecoveredCounters | undefined> {
  const timeoutMs = o.timeoutMs ?? RECOVER_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1, backoff = 250; ; attempt++, backoff = Math.min(backoff * 2, 4000)) {
    try {
      return await recoverOnce(kafka, o, log, deadline);
    } catch (e) {
      if (Date.now() + backoff >= deadline) {
        throw new Error(`could not read the published model version and topic ids from ${o.models} and ${o.updates} within ${timeoutMs / 1000} s: ${(e as Error).message}`, { cause: e });
      }
      log.warn({ err: e, attempt }, 'reading the published model version and topic ids failed; retrying');
      await new Promise((r) => setTimeout(r, backoff));
    }
  }
}

async function recoverOnce(kafka: Kafka, o: RecoverCountersOptions, log: Logger, deadline: number): Promise<RecoveredCounters | undefined> {
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
    const complete = await readToEnd(kafka, groupId, ends, (topic, key, value) => (topic === o.models ? t.model(value) : t.update(key, value)), Math.max(1000, deadline - Date.now()));
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
