// Fault: workers that die or hang, injected through TOPICSTREAM_TEST_HOOKS (src/core/workers/testHooks.ts)
// in a real service process on the real broker. An embedding worker exits mid-batch whenever a post
// carries the crash marker; every refit hangs in a synchronous loop. Asserted: the poison post ends
// in the DLQ and every other post is assigned; a hung refit is abandoned at its deadline while
// assignment goes on and the service stays ready; SIGTERM during a hung refit exits within 20 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { SHARED_DATA } from '../helpers/paths.js';
import { consumeAll, createTopic, ensureKafka, uniqueName } from '../helpers/kafka.js';
import { firstLines, httpPortOf, startCli, stopAllServices, uniqueStreamTopics, type ServiceProcess, writeServiceConfig } from '../helpers/service.js';
import { CRASH_EMBED_MARKER } from '../../src/core/workers/testHooks.js';
import { httpGet, keysOf, produce, status, waitFor } from './faultKit.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const REFIT_TIMEOUT_S = 10;
const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-fault-workers-'));
const topics = uniqueStreamTopics('fault-workers');
let brokers: string[];
let svc: ServiceProcess;
let port: number;
let good: Message[];
const run = uniqueName('workers');

before(async () => {
  ({ brokers } = await ensureKafka());
  await createTopic(brokers, { name: topics.posts, partitions: 3 });
  good = (await firstLines(TWEETS, 700)).map((bytes) => ({ key: (JSON.parse(bytes.toString('utf8')) as { id: string }).id, value: bytes }));
  // every retry of the poison post kills a worker: room for them in the restart budget
      const config = writeServiceConfig(dir, { brokers, topics, group: 'fault-workers', overrides: { embedding: { maxRestartsPerMinute: 30 }, stream: { refit: { everyDocs: 250, minDocs: 200, timeoutSeconds: REFIT_TIMEOUT_S } } } });
  svc = startCli(['run', '--config', config], { name: 'topicstream run (worker faults)', env: { TOPICSTREAM_TEST_HOOKS: 'crash-embed,hang-refit' } });
  await svc.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'joining the consumer group');
  port = await httpPortOf(svc);
});

after(async () => {
  await stopAllServices();
  rmSync(dir, { recursive: true, force: true });
});

test('an embedding worker killed mid-batch: the post that kills it goes to the DLQ, every other post is assigned', async () => {
  const poison: Message = { key: `${run}-poison`, value: JSON.stringify({ id: `${run}-poison`, text: `a post that kills its worker ${CRASH_EMBED_MARKER}` }) };
  // the poison post in the middle of the first 300, so it shares its batch with good posts
  await produce(brokers, topics.posts, [...good.slice(0, 150), poison, ...good.slice(150, 300)]);
  const want = good.slice(0, 300).map((m) => String(m.key));
  await waitFor(
    async () => {
      const got = await keysOf(brokers, topics.assignments);
      return want.every((id) => got.has(id));
    },
    10 * 60_000,
    () => `the 300 good posts assigned\n${svc.tail()}`,
  );
  const dlq = (await consumeAll(brokers, topics.dlq)).map((m) => JSON.parse(m.value!) as { key: string; reason: string; message: string });
  const p = dlq.find((d) => d.key === `${run}-poison`);
  assert.equal(p?.reason, 'processing_failed', 'the poison post is dead-lettered');
  assert.match(p!.message, /failed 3 times/);
  assert.ok(svc.logs.some((l) => /worker/i.test(String(l.msg)) && /exit|crash|died|replac/i.test(JSON.stringify(l))), 'the worker death was logged');
  assert.equal((await httpGet(port, '/readyz')).status, 200);
});

test('a refit that hangs is abandoned at its deadline; assignment goes on and the service stays ready', async () => {
  const started = await svc.waitForLog((l) => l.msg === 'refit started', 5 * 60_000, 'a refit to start');
  const failed = await svc.waitForLog((l) => l.msg.startsWith('refit failed'), (REFIT_TIMEOUT_S + 60) * 1000, 'the hung refit to be abandoned');
  const seconds = (failed.time - started.time) / 1000;
  process.stderr.write(`hung refit abandoned after ${seconds.toFixed(1)} s (deadline ${REFIT_TIMEOUT_S} s)\n`);
  assert.ok(seconds >= REFIT_TIMEOUT_S - 1, 'not before its deadline');
  const before = (await status(port)).assigned;
  await produce(brokers, topics.posts, good.slice(300, 500));
  await waitFor(async () => (await status(port)).assigned >= before + 200, 10 * 60_000, () => `200 more posts assigned after the hung refit\n${svc.tail()}`);
  assert.equal((await httpGet(port, '/readyz')).status, 200);
  assert.equal((await httpGet(port, '/healthz')).status, 200);
});

test('SIGTERM during a hung refit: the process exits within 20 s', async () => {
  await produce(brokers, topics.posts, good.slice(500, 700));
  // every refit hangs until its deadline: one is running while more have started than failed
  const running = () => svc.logsWith('refit started').length > svc.logs.filter((l) => l.msg.startsWith('refit failed')).length;
  await waitFor(running, 5 * 60_000, () => `a refit running\n${svc.tail()}`);
  const t0 = Date.now();
  const exit = await svc.stop(60_000);
  const seconds = (Date.now() - t0) / 1000;
  process.stderr.write(`SIGTERM during a hung refit: exited in ${seconds.toFixed(1)} s (${JSON.stringify(exit)})\n`);
  assert.ok(seconds <= 20, `exited after ${seconds.toFixed(1)} s`);
  assert.equal(exit.code, 0, svc.tail());
});
