// Smoke test of the local broker (scripts/kafka/up.mjs) with kafkajs, the client the service uses:
// keyed produce to 3 partitions, a consumer group that commits, a restart that resumes after the
// commit, group description. Unique topic and group names, so it passes run after run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignerProtocol, type Admin, type Consumer, type Kafka } from 'kafkajs';
import { consumeAll, createTopic, deleteTopics, ensureKafka, kafkaClient, produceMessages, TEST_FETCH_WAIT_MS, uniqueName } from '../helpers/kafka.js';

const PARTITIONS = 3;
const FIRST_BATCH = 100;
const SECOND_BATCH = 50;
const KEYS = 10;

interface Received {
  partition: number;
  offset: bigint;
  key: string;
  i: number;
}

function keyedMessages(from: number, count: number): { key: string; value: string }[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return { key: `key-${i % KEYS}`, value: JSON.stringify({ i }) };
  });
}

/**
 * Joins `groupId`, reads until `expected` messages arrived, commits the next offset of every
 * partition it read, and returns what it read with the consumer still in the group (so the caller
 * can describe the group while it is Stable). autoCommit is off: the commit is ours alone.
 */
async function consumeAndCommit(kafka: Kafka, topic: string, groupId: string, expected: number): Promise<{ consumer: Consumer; got: Received[] }> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: TEST_FETCH_WAIT_MS });
  const got: Received[] = [];
  const next = new Map<number, bigint>();
  let reached!: () => void;
  const allRead = new Promise<void>((resolve) => (reached = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      const offset = BigInt(message.offset);
      got.push({ partition, offset, key: message.key!.toString(), i: (JSON.parse(message.value!.toString()) as { i: number }).i });
      next.set(partition, offset + 1n);
      if (got.length >= expected) reached();
    },
  });
  const timeout = setTimeout(() => reached(), 30_000);
  await allRead;
  clearTimeout(timeout);
  assert.equal(got.length, expected, `group ${groupId} read ${got.length} of ${expected} messages within 30 s`);
  await consumer.commitOffsets([...next].map(([partition, offset]) => ({ topic, partition, offset: offset.toString() })));
  return { consumer, got };
}

let brokers: string[];
let kafka: Kafka;
let admin: Admin;
let topic: string;
const groupId = uniqueName('smoke-group');

before(async () => {
  ({ brokers } = await ensureKafka());
  kafka = kafkaClient(brokers, 'kafka-broker-smoke');
  admin = kafka.admin();
  await admin.connect();
  topic = await createTopic(brokers, { prefix: 'smoke', partitions: PARTITIONS });
});

after(async () => {
  if (topic) {
    await admin.deleteGroups([groupId]).catch(() => {});
    await deleteTopics(brokers, [topic]);
  }
  await admin?.disconnect();
});

test('the topic has the partitions asked for', async () => {
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.equal(meta.topics[0]!.partitions.length, PARTITIONS);
  for (const p of meta.topics[0]!.partitions) assert.equal(p.leader, 1, 'the single node leads every partition');
});

test('100 keyed messages: consumed once in a group, committed, and a restarted consumer resumes after the commit', async () => {
  await produceMessages(brokers, topic, keyedMessages(0, FIRST_BATCH));
  const ends = await admin.fetchTopicOffsets(topic);
  assert.equal(ends.reduce((sum, e) => sum + Number(e.high), 0), FIRST_BATCH);
  assert.ok(ends.filter((e) => Number(e.high) > 0).length >= 2, 'ten keys spread over more than one partition');

  // First consumer: every message exactly once, each key on one partition, offsets rising per partition.
  const first = await consumeAndCommit(kafka, topic, groupId, FIRST_BATCH);
  await first.consumer.disconnect();
  assert.deepEqual(first.got.map((m) => m.i).sort((a, b) => a - b), Array.from({ length: FIRST_BATCH }, (_, i) => i));
  const partitionOfKey = new Map<string, number>();
  const lastOffset = new Map<number, bigint>();
  for (const m of first.got) {
    assert.equal(partitionOfKey.get(m.key) ?? m.partition, m.partition, `${m.key} stays on one partition`);
    partitionOfKey.set(m.key, m.partition);
    assert.ok(m.offset > (lastOffset.get(m.partition) ?? -1n), `partition ${m.partition} is read in offset order`);
    lastOffset.set(m.partition, m.offset);
  }

  // The commit is what the broker stores for the group: the end offset of every partition.
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const highs = new Map(ends.map((e) => [e.partition, e.high]));
  for (const p of committed!.partitions) assert.equal(p.offset, highs.get(p.partition), `committed offset of partition ${p.partition}`);

  // Restart: the same group sees only what came after the commit.
  await produceMessages(brokers, topic, keyedMessages(FIRST_BATCH, SECOND_BATCH));
  const second = await consumeAndCommit(kafka, topic, groupId, SECOND_BATCH);
  try {
    assert.deepEqual(second.got.map((m) => m.i).sort((a, b) => a - b), Array.from({ length: SECOND_BATCH }, (_, n) => FIRST_BATCH + n));
    for (const m of second.got) assert.equal(partitionOfKey.get(m.key), m.partition, `${m.key} is still on its partition`);

    // Described while the consumer is in it: one member holding all three partitions.
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0]!;
    assert.equal(group.state, 'Stable');
    assert.equal(group.protocolType, 'consumer');
    assert.equal(group.members.length, 1);
    const assignment = AssignerProtocol.MemberAssignment.decode(group.members[0]!.memberAssignment);
    assert.deepEqual([...(assignment?.assignment[topic] ?? [])].sort(), [0, 1, 2]);
  } finally {
    await second.consumer.disconnect();
  }

  // Once the member left, the group is Empty but keeps its offsets; a third start reads nothing.
  const { groups } = await admin.describeGroups([groupId]);
  assert.equal(groups[0]!.state, 'Empty');
  const again = await consumeAll(brokers, topic, { groupId, timeoutMs: 20_000 });
  assert.equal(again.length, 0);
});

test('consumeAll reads a whole topic from the beginning with a fresh group', async () => {
  const all = await consumeAll(brokers, topic, { timeoutMs: 30_000 });
  assert.equal(all.length, FIRST_BATCH + SECOND_BATCH);
  assert.equal(new Set(all.map((m) => m.value)).size, FIRST_BATCH + SECOND_BATCH, 'no duplicates');
});
