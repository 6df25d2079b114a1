// Fault: hostile and broken input through the real broker. One post must never block a partition:
// a 600 KB id, a 900 KB text (under a raised input limit), 20 large bad records in one batch (their
// DLQ records together exceed the broker's request limit), then 10,000 malformed messages of 14
// kinds among 2,000 good tweets. Asserted: every bad record is in the DLQ with its reason, every
// good post behind them is assigned, the service stays ready and its memory bounded.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { SHARED_DATA } from '../helpers/paths.js';
import { consumeAll, createTopic, ensureKafka, kafkaClient, uniqueName } from '../helpers/kafka.js';
import { firstLines, httpPortOf, startCli, stopAllServices, uniqueStreamTopics, type ServiceProcess, writeServiceConfig } from '../helpers/service.js';
import { httpGet, keysOf, metric, produce, waitFor } from './faultKit.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const WAIT_MS = 15 * 60_000;
const dirs: string[] = [];

after(async () => {
  await stopAllServices();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function startService(prefix: string, overrides: Record<string, unknown>) {
  const { brokers } = await ensureKafka();
  const dir = mkdtempSync(path.join(os.tmpdir(), `topicstream-${prefix}-`));
  dirs.push(dir);
  const topics = uniqueStreamTopics(prefix);
  await createTopic(brokers, { name: topics.posts, partitions: 3 });
  const config = writeServiceConfig(dir, { brokers, topics, group: prefix, overrides });
  const svc = startCli(['run', '--config', config], { name: `topicstream run (${prefix})` });
  await svc.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'joining the consumer group');
  return { brokers, topics, svc, port: await httpPortOf(svc) };
}

async function goodPosts(n: number): Promise<Message[]> {
  return (await firstLines(TWEETS, n)).map((bytes) => ({ key: (JSON.parse(bytes.toString('utf8')) as { id: string }).id, value: bytes }));
}

async function waitAssigned(brokers: string[], topic: string, ids: Iterable<string>, svc: ServiceProcess): Promise<void> {
  const want = [...ids];
  let missing = want.length;
  await waitFor(
    async () => {
      const got = await keysOf(brokers, topic);
      missing = want.filter((id) => !got.has(id)).length;
      return missing === 0;
    },
    WAIT_MS,
    () => `${want.length} posts assigned (${missing} missing)\n${svc.tail()}`,
  );
}

interface DlqRecord {
  reason: string;
  partition: number;
  offset: string;
  key: string | null;
  value_bytes: number;
}

test('a 600 KB id, a 900 KB text and 20 large bad records in one batch: DLQ for the bad, every post behind them assigned', async () => {
  const run = uniqueName('poison');
  const s = await startService('fault-poison', { kafka: { maxMessageBytes: 1_040_000 }, input: { maxTextChars: 1_000_000 } });
  const good = await goodPosts(600);
  const producer = kafkaClient(s.brokers, 'fault-poison-producer').producer();
  await producer.connect();
  try {
    // partition 0: a post whose id is 600 KB, then 300 good posts behind it
    await producer.send({ topic: s.topics.posts, acks: -1, messages: [{ key: `${run}-long-id`, partition: 0, value: JSON.stringify({ id: 'i'.repeat(600_000), text: 'a fine post with a very long id' }) }] });
    await producer.send({ topic: s.topics.posts, acks: -1, messages: good.slice(0, 300).map((m) => ({ ...m, partition: 0 })) });
    // partition 1: 20 bad records of 150 KB each (their DLQ copies, JSON-escaped, are ~130 KB each), one request each, then 300 good posts
    for (let i = 0; i < 20; i++) {
      const value = JSON.stringify({ id: `${run}-bad-${i}`, text: 42, pad: '"'.repeat(150_000) });
      await producer.send({ topic: s.topics.posts, acks: -1, messages: [{ key: `${run}-bad-${i}`, partition: 1, value }] });
    }
    await producer.send({ topic: s.topics.posts, acks: -1, messages: good.slice(300).map((m) => ({ ...m, partition: 1 })) });
    // partition 2: a valid 900 KB text
    const words = 'border security immigration policy debate in the senate tonight '.repeat(14_000).slice(0, 900_000);
    await producer.send({ topic: s.topics.posts, acks: -1, messages: [{ key: `${run}-big-text`, partition: 2, value: JSON.stringify({ id: `${run}-big-text`, text: words }) }] });
  } finally {
    await producer.disconnect();
  }
  await waitAssigned(s.brokers, s.topics.assignments, [...good.map((m) => String(m.key)), `${run}-big-text`], s.svc);
  const dlq = (await consumeAll(s.brokers, s.topics.dlq)).map((m) => JSON.parse(m.value!) as DlqRecord);
  const longId = dlq.find((d) => d.key === `${run}-long-id`);
  assert.equal(longId?.reason, 'oversize_id', 'the 600 KB id is dead-lettered as oversize_id');
  const bad = dlq.filter((d) => d.key?.startsWith(`${run}-bad-`));
  assert.equal(new Set(bad.map((d) => d.key)).size, 20, 'all 20 large bad records are in the DLQ');
  assert.ok(bad.every((d) => d.reason === 'wrong_type' && d.partition === 1 && d.value_bytes > 150_000));
  assert.equal((await httpGet(s.port, '/readyz')).status, 200, 'the service is ready');
  assert.ok(s.svc.running());
});

/** 14 kinds of malformed message; `reason` is what the DLQ must say. Keys are unique per message. */
function malformed(kind: number, i: number, run: string, dupOf: Message): { message: Message; reason: string } {
  const key = `${run}-k${kind}-${i}`;
  const json = (v: unknown) => JSON.stringify(v);
  switch (kind) {
    case 0: return { reason: 'not_json', message: { key, value: `this is {not json ${i}` } };
    case 1: return { reason: 'invalid_utf8', message: { key, value: Buffer.concat([Buffer.from(`{"id":"${key}","text":"caf`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) } };
    case 2: return { reason: 'not_object', message: { key, value: json([i, 2, 3]) } };
    case 3: return { reason: 'not_object', message: { key, value: json(`just a string ${i}`) } };
    case 4: return { reason: 'not_object', message: { key, value: 'null' } };
    case 5: return { reason: 'missing_text', message: { key, value: json({ id: key, body: 'the text is elsewhere' }) } };
    case 6: return { reason: 'missing_text', message: { key, value: null } };
    case 7: return { reason: 'empty_text', message: { key, value: json({ id: key, text: ' \n\t ' }) } };
    case 8: return { reason: 'wrong_type', message: { key, value: json({ id: key, text: 12345 }) } };
    case 9: return { reason: 'wrong_type', message: { key, value: json({ id: { nested: i }, text: 'an id that is an object' }) } };
    case 10: return { reason: 'oversize', message: { key, value: json({ id: key, text: 'word '.repeat(1000) }) } };
    case 11: return { reason: 'bad_timestamp', message: { key, value: json({ id: key, text: 'a fine text', ts: `yesterday-ish ${i}` }) } };
    case 12: return { reason: 'oversize_id', message: { key, value: json({ id: `${key}-${'x'.repeat(600)}`, text: 'an id of 600 characters' }) } };
    default: {
      const orig = JSON.parse(String(dupOf.value)) as { id: string; text: string };
      return { reason: 'duplicate_id', message: { key: dupOf.key, value: json({ id: orig.id, text: `${orig.text} (edited ${i})` }) } };
    }
  }
}

test('10,000 malformed messages of 14 kinds among 2,000 good ones: each in the DLQ with its reason, every good one assigned, memory bounded', async () => {
  const run = uniqueName('flood');
  // a window that holds every good post, so each conflicting duplicate meets its original
  const s = await startService('fault-flood', { input: { maxTextChars: 2000 }, stream: { window: { maxDocs: 10_000 } } });
  const rssBefore = metric((await httpGet(s.port, '/metrics')).text, 'topicstream_process_resident_memory_bytes');
  const good = await goodPosts(2000);
  const expected = new Map<string, string>();
  const bad: Message[] = [];
  const dups: Message[] = [];
  for (let i = 0; i < 10_000; i++) {
    const kind = i % 14;
    const m = malformed(kind, i, run, good[i % good.length]!);
    if (kind === 13) dups.push(m.message);
    else {
      bad.push(m.message);
      expected.set(String(m.message.key), m.reason);
    }
  }
  // interleave: 1 good post among every 5 bad ones; the duplicates last (after their originals, same key, same partition)
  const mixed: Message[] = [];
  for (let i = 0; i < good.length; i++) mixed.push(good[i]!, ...bad.slice(i * 5, i * 5 + 5));
  mixed.push(...bad.slice(good.length * 5));
  await produce(s.brokers, s.topics.posts, mixed, 500);
  await produce(s.brokers, s.topics.posts, dups, 500);

  await waitAssigned(s.brokers, s.topics.assignments, good.map((m) => String(m.key)), s.svc);
  let dlq: DlqRecord[] = [];
  await waitFor(
    async () => {
      dlq = (await consumeAll(s.brokers, s.topics.dlq)).map((m) => JSON.parse(m.value!) as DlqRecord);
      return dlq.length >= 10_000;
    },
    WAIT_MS,
    () => `10,000 DLQ records (${dlq.length} so far)\n${s.svc.tail()}`,
  );
  const reasonOf = new Map(dlq.map((d) => [String(d.key), d.reason]));
  const wrong = [...expected].filter(([key, reason]) => reasonOf.get(key) !== reason);
  assert.deepEqual(wrong.slice(0, 5), [], `every malformed message in the DLQ with its reason (${wrong.length} not)`);
  assert.equal(dlq.filter((d) => d.reason === 'duplicate_id').length >= dups.length, true, 'every conflicting duplicate dead-lettered');
  assert.ok(dlq.every((d) => Number.isInteger(d.partition) && /^\d+$/.test(d.offset)), 'each DLQ record says where its input was');
  assert.equal(new Set(expected.values()).size + 1, 10, 'the 14 kinds cover 10 reasons');
  const metrics = (await httpGet(s.port, '/metrics')).text;
  const rssAfter = metric(metrics, 'topicstream_process_resident_memory_bytes');
  process.stderr.write(`flood: RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(rssAfter / 2 ** 20).toFixed(0)} MiB after\n`);
  assert.ok(rssAfter < rssBefore + 512 * 2 ** 20, `RSS grew from ${rssBefore} to ${rssAfter} bytes`);
  assert.equal(metric(metrics, 'topicstream_documents_invalid_total'), dlq.length, 'the invalid counter agrees with the DLQ');
  assert.equal((await httpGet(s.port, '/readyz')).status, 200);
});
