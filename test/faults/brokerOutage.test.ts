// Fault: the broker goes away mid-stream — for 10 s, for 90 s, and while the service is asked to stop.
// A broker of this suite's own (another port and data folder) is really stopped and started again.
// Asserted as an operator would: every good post gets an assignment, /readyz is ready again within
// 30 s of the broker's return, and SIGTERM with the broker away ends the process within 20 s with a
// snapshot, from which a restart continues without losing a post.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { SHARED_DATA } from '../helpers/paths.js';
import { createTopic } from '../helpers/kafka.js';
import { firstLines, httpPortOf, startCli, stopAllServices, uniqueStreamTopics, type ServiceProcess, writeServiceConfig } from '../helpers/service.js';
import { OwnBroker, httpGet, keysOf, produce, status, waitFor } from './faultKit.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const PORT = 19192;
/** Generous upper bounds (embedding runs at 30–150 posts/s on the shared cores); never speed assertions. */
const ASSIGN_WAIT_MS = 10 * 60_000;

const broker = new OwnBroker(PORT);
const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-fault-outage-'));
const topics = uniqueStreamTopics('fault-outage');
let posts: Message[] = [];
let produced = 0;
let svc: ServiceProcess;
let port: number;
let config: string;

async function produceNext(n: number): Promise<void> {
  await produce(broker.brokers, topics.posts, posts.slice(produced, produced + n));
  produced += n;
}

async function assignedAtLeast(n: number): Promise<void> {
  await waitFor(async () => (await status(port)).assigned >= n, ASSIGN_WAIT_MS, () => `${n} posts assigned\n${svc.tail()}`);
}

before(async () => {
  await broker.up();
  posts = (await firstLines(TWEETS, 1500)).map((bytes) => ({ key: (JSON.parse(bytes.toString('utf8')) as { id: string }).id, value: bytes }));
  await createTopic(broker.brokers, { name: topics.posts, partitions: 3 });
  config = writeServiceConfig(dir, { brokers: broker.brokers, topics, group: 'fault-outage', overrides: { stream: { window: { maxDocs: 2000 }, refit: { everyDocs: 300, minDocs: 200 } } } });
  svc = startCli(['run', '--config', config], { name: 'topicstream run (outage)' });
  await svc.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'joining the consumer group');
  port = await httpPortOf(svc);
});

after(async () => {
  await stopAllServices();
  await broker.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function outage(seconds: number): Promise<void> {
  const before = produced;
  await produceNext(300);
  await assignedAtLeast(before + 100); // mid-stream: part of the 300 is still to come
  await broker.down();
  const downAt = Date.now();
  await waitFor(async () => (await httpGet(port, '/readyz')).status === 503, 60_000, () => '/readyz to report the broker gone');
  assert.ok(svc.running(), 'the service is still running with the broker away');
  await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - (Date.now() - downAt))));
  assert.equal((await httpGet(port, '/healthz')).status, 200, '/healthz stays ok while the broker is away (a restart would not help)');
  await broker.up();
  const backAt = Date.now();
  await waitFor(async () => (await httpGet(port, '/readyz')).status === 200, 60_000, () => `/readyz ready after the broker returned\n${svc.tail()}`);
  const readyAfter = (Date.now() - backAt) / 1000;
  process.stderr.write(`broker outage ${seconds} s: ready ${readyAfter.toFixed(1)} s after the broker returned\n`);
  assert.ok(readyAfter <= 30, `ready ${readyAfter.toFixed(1)} s after the broker returned; at most 30 s expected`);
  await produceNext(200);
  await assignedAtLeast(produced);
}

test('a 10 s broker outage mid-stream: every post assigned, ready again within 30 s', async () => {
  await outage(10);
});

test('a 90 s broker outage mid-stream: every post assigned, ready again within 30 s', async () => {
  await outage(90);
});

test('SIGTERM with the broker away: exits within 20 s with a snapshot; a restart loses no post', async () => {
  await produceNext(200);
  await assignedAtLeast(produced - 100);
  await broker.down();
  const t0 = Date.now();
  const exit = await svc.stop(60_000);
  const seconds = (Date.now() - t0) / 1000;
  process.stderr.write(`SIGTERM with the broker away: exited in ${seconds.toFixed(1)} s (${JSON.stringify(exit)})\n`);
  assert.ok(seconds <= 20, `exited after ${seconds.toFixed(1)} s; at most 20 s expected`);
  assert.equal(exit.code, 0, `clean exit code\n${svc.tail()}`);
  const stateFile = path.join(dir, 'state', 'current', 'state.json');
  assert.ok(existsSync(stateFile), 'a snapshot is in the state folder');
  const savedAt = Date.parse((JSON.parse(readFileSync(stateFile, 'utf8')) as { saved_at: string }).saved_at);
  assert.ok(savedAt >= t0 - 1000, 'the snapshot was written on the way out');

  await broker.up();
  svc = startCli(['run', '--config', config], { name: 'topicstream run (outage, restarted)' });
  port = await httpPortOf(svc);
  await produceNext(posts.length - produced);
  const want = new Set(posts.map((m) => String(m.key)));
  let missing: string[] = [];
  await waitFor(
    async () => {
      const got = await keysOf(broker.brokers, topics.assignments);
      missing = [...want].filter((id) => !got.has(id));
      return missing.length === 0;
    },
    ASSIGN_WAIT_MS,
    () => `every one of the ${want.size} posts assigned (${missing.length} missing, e.g. ${missing.slice(0, 3).join(', ')})\n${svc.tail()}`,
  );
  assert.equal((await keysOf(broker.brokers, topics.dlq)).size, 0, 'no good post was dead-lettered for the outage');
});
