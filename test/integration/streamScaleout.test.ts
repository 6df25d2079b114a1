// Scale-out against the real broker: a refit owner and a follower in one consumer group share the
// input partitions; the follower adopts the model the owner publishes on the compacted models topic,
// so every assignment of the group names a topic of that one model.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED_DATA } from '../helpers/paths.js';
import { createTopic, deleteTopics, ensureKafka, kafkaClient, uniqueName } from '../helpers/kafka.js';
import { firstLines, getJson, httpPortOf, serviceConfig, startCli, stopAllServices, TopicFollower, uniqueStreamTopics, writeJson } from '../helpers/service.js';
import type { AssignmentPayload, TopicUpdatePayload } from '../helpers/streamOutputs.js';

const WAIT_MS = 15 * 60_000;
const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await stopAllServices();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('a refit owner and a follower in one group: partitions shared, one model, one set of topic ids', { timeout: WAIT_MS + 5 * 60_000 }, async (t) => {
  const N = 1200;
  const { brokers } = await ensureKafka();
  const topics = uniqueStreamTopics('stream-scaleout');
  cleanups.push(() => deleteTopics(brokers, Object.values(topics)));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-scaleout-'));
  dirs.push(dir);
  const lines = await firstLines(path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz'), N);
  const ids = lines.map((b) => (JSON.parse(b.toString('utf8')) as { id: string }).id);
  await createTopic(brokers, { name: topics.posts, partitions: 4 });
  const groupId = uniqueName('scaleout-group');
  const cfg = (name: string) =>
    writeJson(path.join(dir, `${name}.json`), serviceConfig({ brokers, topics, groupId, stateDir: path.join(dir, `state-${name}`), overrides: { stream: { refit: { everyDocs: 300, minDocs: 100, everySeconds: 5 } } } }));

  const owner = startCli(['run', '--config', cfg('owner')], { name: 'topicstream run (owner)' });
  const follower = startCli(['run', '--config', cfg('follower'), '--follower'], { name: 'topicstream run (follower)' });
  await owner.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'the owner joining the group');
  await follower.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'the follower joining the group');
  const outputs = await TopicFollower.start(brokers, [topics.assignments, topics.updates, topics.models]);
  cleanups.push(() => outputs.stop());
  const producer = kafkaClient(brokers).producer();
  await producer.connect();
  // the first half, then (once the owner published a model) the second half; the owner gets only its
  // partitions' share of the first half, so its first refit comes by time (everySeconds) if not by count
  const send = (part: Buffer[]) => producer.send({ topic: topics.posts, messages: part.map((v) => ({ key: (JSON.parse(v.toString('utf8')) as { id: string }).id, value: v })) });
  await send(lines.slice(0, N / 2));
  await outputs.waitUntil(() => outputs.messages(topics.models).length >= 1, WAIT_MS, () => `a published model\n${owner.tail()}`);
  await follower.waitForLog((l) => l.msg === 'adopted the published model', 2 * 60_000, 'the follower adopting the model');
  await send(lines.slice(N / 2));
  await producer.disconnect();
  const assigned = () => new Set(outputs.messages(topics.assignments).map((m) => m.key!));
  await outputs.waitUntil(() => ids.every((id) => assigned().has(id)), WAIT_MS, () => `every id assigned (${assigned().size} of ${N})\n${follower.tail()}`);

  const [po, pf] = [await httpPortOf(owner), await httpPortOf(follower)];
  const so = await getJson<{ assigned: number; model_version: number }>(po, '/api/status');
  const sf = await getJson<{ assigned: number; model_version: number }>(pf, '/api/status');
  t.diagnostic(`owner assigned ${so.assigned} (model v${so.model_version}); follower assigned ${sf.assigned} (model v${sf.model_version})`);
  assert.ok(so.assigned > 0 && sf.assigned > 0, 'both members consumed a share of the partitions');
  assert.equal(so.assigned + sf.assigned, N, 'each post was assigned by exactly one member');
  assert.equal(follower.logsWith('refit started').length, 0, 'the follower never refits');
  assert.ok(sf.model_version >= 1);

  // Every topic id the group assigns belongs to the owner's model. The owner publishes a refit's
  // models, topic-updates and reassignments at once, and the follower may adopt a model (refits by
  // time go on) before this test's consumer has read that model's topic-updates: they reach the
  // consumers in any order. So wait for the updates of what was assigned and of what the follower
  // serves (the failure seen once on a fresh clone was this race, not a divergence: the ids were
  // those of the next model); a topic the owner never published still fails after the wait.
  const published = () => new Set(outputs.values<TopicUpdatePayload>(topics.updates).map((u) => u.topic_id));
  const used = outputs.values<AssignmentPayload>(topics.assignments).filter((a) => a.model_version >= 1 && a.topic_id >= 0);
  assert.ok(used.length > 0);
  const foreign = () => used.filter((a) => !published().has(a.topic_id));
  await outputs.waitUntil(() => foreign().length === 0, 60_000, () => `topic-updates for every assigned topic; never published: ${[...new Set(foreign().map((a) => a.topic_id))].join(', ')}`);
  assert.deepEqual(foreign(), [], 'no assignment names a topic the owner did not publish');
  const followerTopics = (await getJson<{ topics: Array<{ id: number }> }>(pf, '/api/topics')).topics.map((x) => x.id).filter((x) => x >= 0);
  await outputs.waitUntil(() => followerTopics.every((id) => published().has(id)), 60_000, () => `topic-updates for the follower's topics ${followerTopics.filter((id) => !published().has(id)).join(',')}`);
  assert.ok(followerTopics.length > 0, 'the follower serves the owner\'s topics');

  // the models topic is compacted
  const a2 = kafkaClient(brokers).admin();
  await a2.connect();
  const described = await a2.describeConfigs({ resources: [{ type: 2, name: topics.models }], includeSynonyms: false });
  await a2.disconnect();
  const policy = described.resources[0]!.configEntries.find((e) => e.configName === 'cleanup.policy')!.configValue;
  assert.equal(policy, 'compact');

  for (const s of [owner, follower]) assert.deepEqual(await s.stop(120_000), { code: 0, signal: null }, s.tail());
});
