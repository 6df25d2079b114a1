// "Refit every N documents or T seconds" (issue 3): when the input goes quiet with fewer than N new
// documents, the refit by time must still come, or the last documents never get refitted topics.
// 400 tweets (fewer than refit.everyDocs) arrive at once; then nothing. A refit is due
// refit.everySeconds later.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED_DATA } from '../helpers/paths.js';
import { createTopic, deleteTopics, ensureKafka, produceMessages } from '../helpers/kafka.js';
import { firstLines, startCli, stopAllServices, TopicFollower, uniqueStreamTopics, writeServiceConfig } from '../helpers/service.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const N = 400;
const EVERY_SECONDS = 30;

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await stopAllServices();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

test(`a quiet input still gets its refit after refit.everySeconds (${EVERY_SECONDS} s)`, { timeout: 20 * 60_000 }, async (t) => {
  const { brokers } = await ensureKafka();
  const topics = uniqueStreamTopics('stream-timer');
  cleanups.push(() => deleteTopics(brokers, Object.values(topics)));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-stream-timer-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const lines = await firstLines(TWEETS, N);
  const ids = lines.map((b) => (JSON.parse(b.toString('utf8')) as { id: string }).id);

  await createTopic(brokers, { name: topics.posts, partitions: 3 });
  const config = writeServiceConfig(dir, { brokers, topics, group: 'stream-timer-group', overrides: { stream: { refit: { everyDocs: 1000, minDocs: 200, everySeconds: EVERY_SECONDS } } } });
  const svc = startCli(['run', '--config', config], { name: 'topicstream run (timer)' });
  await svc.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'the service joining its group');
  const follower = await TopicFollower.start(brokers, [topics.assignments, topics.updates]);
  cleanups.push(() => follower.stop());
  await produceMessages(
    brokers,
    topics.posts,
    lines.map((value, i) => ({ key: ids[i]!, value })),
  );
  const assigned = () => new Set(follower.messages(topics.assignments).map((m) => m.key!));
  await follower.waitUntil(
    () => ids.every((id) => assigned().has(id)),
    10 * 60_000,
    () => `all ${N} ids assigned (${assigned().size})\n${svc.tail()}`,
    () => (svc.running() ? undefined : `the service exited\n${svc.tail()}`),
  );
  const quietSince = Date.now();
  t.diagnostic(`all ${N} assigned; refits so far: ${svc.logsWith('refit applied').length}; waiting for a refit of the whole window`);
  // due at most EVERY_SECONDS after the last document; two more minutes for the refit itself
  const started = await svc.waitForLog(
    (l) => l.msg === 'refit started' && l.windowDocs === N,
    (EVERY_SECONDS + 120) * 1000,
    `a refit of all ${N} documents within ${EVERY_SECONDS + 120} s of the input going quiet (refit.everySeconds = ${EVERY_SECONDS})`,
  );
  await svc.waitForLog((l) => l.msg === 'refit applied' && l.version === started.version, 5 * 60_000, `refit v${started.version} applied`);
  t.diagnostic(`refit v${started.version} of ${N} documents started ${((started.time - quietSince) / 1000).toFixed(0)} s after the input went quiet`);
  await follower.waitUntil(
    () => follower.messages(topics.updates).length > 0,
    60_000,
    () => 'topic updates of the refit',
  );
  assert.deepEqual(await svc.stop(120_000), { code: 0, signal: null }, svc.tail());
});
