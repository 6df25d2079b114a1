// Faults of the state folder, against a real service process and the real broker:
// (a) the folder read-only, then full (a tmpfs remounted ro; then filled up): posts keep being
//     consumed and assigned, topicstream_snapshot_failures_total rises, and once writable again a
//     snapshot succeeds;
// (b) on a stopped service, snapshot files truncated or bit-flipped, a crash between the renames,
//     both snapshots damaged: start-up goes on (from previous/ or empty) and every post ever
//     produced has an assignment;
// (c) the state folder deleted: the restarted owner's model version continues above the previous
//     one and the topic ids it creates are above every id ever published.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { SHARED_DATA } from '../helpers/paths.js';
import { deleteTopics, ensureKafka, uniqueName } from '../helpers/kafka.js';
import { firstLines, httpPortOf, serviceConfig, startCli, stopAllServices, TopicFollower, uniqueStreamTopics, writeJson, type LogLine, type ServiceProcess, type StreamTopics } from '../helpers/service.js';
import type { TopicEventPayload, TopicUpdatePayload, AssignmentPayload } from '../helpers/streamOutputs.js';
import { httpGet, metric, produce, status, waitFor } from './faultKit.js';
import { Tmpfs } from './tmpfs.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
/** Upper bounds only (embedding runs at 30–150 posts/s on the shared cores). */
const WAIT_MS = 10 * 60_000;
const START_MS = 5 * 60_000;

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  await stopAllServices();
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch (e) {
      process.stderr.write(`stateFaults cleanup: ${(e as Error).message}\n`);
    }
  }
});

let tweets: Message[] | undefined;
async function allTweets(): Promise<Message[]> {
  tweets ??= (await firstLines(TWEETS, 1500)).map((bytes) => ({ key: (JSON.parse(bytes.toString('utf8')) as { id: string }).id, value: bytes }));
  return tweets;
}

/** One scenario: its topics, config, state folder, the posts produced so far and the service running now. */
class Scenario {
  svc!: ServiceProcess;
  port!: number;
  produced = 0;
  follower?: TopicFollower;
  runs = 0;

  private constructor(
    readonly name: string,
    readonly brokers: string[],
    readonly topics: StreamTopics,
    readonly dir: string,
    readonly stateDir: string,
    readonly config: string,
    readonly posts: Message[],
  ) {}

  static async create(name: string, overrides: Record<string, unknown>): Promise<Scenario> {
    const { brokers } = await ensureKafka();
    const topics = uniqueStreamTopics(name);
    cleanups.push(() => deleteTopics(brokers, Object.values(topics)));
    const dir = mkdtempSync(path.join(os.tmpdir(), `topicstream-${name}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stateDir = path.join(dir, 'state');
    const cfg = serviceConfig({ brokers, topics, groupId: uniqueName(name), stateDir, overrides: { stream: { window: { maxDocs: 2000 }, refit: { everyDocs: 100_000 } }, state: { snapshotEverySeconds: 1 }, ...overrides } });
    return new Scenario(name, brokers, topics, dir, stateDir, writeJson(path.join(dir, 'config.json'), cfg), await allTweets());
  }

  /** Starts the service and waits until it consumes; then follows its outputs (once the topics exist). */
  async start(): Promise<void> {
    this.svc = startCli(['run', '--config', this.config], { name: `topicstream run (${this.name} #${++this.runs})` });
    await this.svc.waitForLog((l) => l.msg === 'joined consumer group', START_MS, `${this.svc.name} joining its consumer group`);
    this.port = await httpPortOf(this.svc);
    if (!this.follower) {
      const t = this.topics;
      this.follower = await TopicFollower.start(this.brokers, [t.assignments, t.updates, t.events, t.models]);
      const f = this.follower;
      cleanups.push(() => f.stop());
    }
  }

  async stop(): Promise<void> {
    const exit = await this.svc.stop(60_000);
    assert.deepEqual(exit, { code: 0, signal: null }, `${this.svc.name} stops cleanly\n${this.svc.tail()}`);
  }

  async produceNext(n: number): Promise<void> {
    assert.ok(this.produced + n <= this.posts.length, 'enough test posts');
    await produce(this.brokers, this.topics.posts, this.posts.slice(this.produced, this.produced + n));
    this.produced += n;
  }

  /** Waits until every post produced so far has an assignment on the output topic. */
  async allAssigned(): Promise<void> {
    const want = this.posts.slice(0, this.produced).map((m) => String(m.key));
    const f = this.follower!;
    const missing = () => {
      const got = new Set(f.messages(this.topics.assignments).map((m) => m.key));
      return want.filter((id) => !got.has(id));
    };
    await f.waitUntil(
      () => missing().length === 0,
      WAIT_MS,
      () => `every one of ${want.length} posts assigned (${missing().length} missing)\n${this.svc.tail()}`,
      () => (this.svc.running() ? undefined : `the service exited\n${this.svc.tail()}`),
    );
  }

  async metrics(): Promise<{ failures: number; lastSuccess: number; assigned: number }> {
    const text = (await httpGet(this.port, '/metrics')).text;
    return {
      failures: metric(text, 'topicstream_snapshot_failures_total'),
      lastSuccess: metric(text, 'topicstream_snapshot_last_success_timestamp_seconds'),
      assigned: (await status(this.port)).assigned,
    };
  }

  /** Polls /metrics until `ok` holds. */
  async waitMetrics(ok: (m: { failures: number; lastSuccess: number; assigned: number }) => boolean, what: string): Promise<void> {
    let last: unknown;
    await waitFor(
      async () => ok((last = await this.metrics()) as { failures: number; lastSuccess: number; assigned: number }),
      WAIT_MS,
      () => `${what} (last seen ${JSON.stringify(last)})\n${this.svc.tail()}`,
    );
  }

  stateFile(slot: 'current' | 'previous'): { n_docs: number; model_version: number; next_topic_id: number } {
    return JSON.parse(readFileSync(path.join(this.stateDir, slot, 'state.json'), 'utf8')) as { n_docs: number; model_version: number; next_topic_id: number };
  }
}

const failedLogs = (svc: ServiceProcess): LogLine[] => svc.logs.filter((l) => l.msg.startsWith('state snapshot failed'));

test('state folder read-only, then full: consumption goes on, failures show on /metrics, a snapshot succeeds once writable', { timeout: 30 * 60_000 }, async (t) => {
  const s = await Scenario.create('fault-state-rofull', {});
  const fs = new Tmpfs(s.stateDir);
  cleanups.push(() => fs.unmount());
  fs.mount(8 << 20);
  await s.start();
  await s.produceNext(100);
  await s.waitMetrics((m) => m.assigned >= 100 && m.lastSuccess > 0, '100 posts assigned and a snapshot written');

  // read-only: every snapshot fails, posts go on being assigned
  await fs.remount('ro');
  const ro0 = await s.metrics();
  await s.produceNext(100);
  await s.waitMetrics((m) => m.assigned >= 200 && m.failures > ro0.failures, 'the posts assigned and snapshot failures counted with the folder read-only');
  const roErr = failedLogs(s.svc).at(-1);
  assert.ok(roErr, 'the failure is logged');
  assert.match(JSON.stringify(roErr.err), /EROFS|read-only/i);
  await fs.remount('rw');
  const rw = await s.metrics();
  await s.produceNext(50); // snapshots are taken between batches
  await s.waitMetrics((m) => m.lastSuccess > rw.lastSuccess && m.assigned >= 250, 'a snapshot written again once the folder is writable');
  assert.ok(s.svc.logsWith('state snapshots work again').length >= 1);

  // full: the same, ENOSPC
  const filler = fs.fill();
  const full0 = await s.metrics();
  await s.produceNext(100);
  await s.waitMetrics((m) => m.assigned >= 350 && m.failures > full0.failures, 'the posts assigned and snapshot failures counted with the folder full');
  assert.match(JSON.stringify(failedLogs(s.svc).at(-1)?.err), /ENOSPC|no space/i);
  const full1 = await s.metrics();
  rmSync(filler);
  await s.produceNext(50);
  await s.waitMetrics((m) => m.lastSuccess > full1.lastSuccess && m.assigned >= 400, 'a snapshot written again once space is free');

  await s.allAssigned();
  const end = await s.metrics();
  t.diagnostic(`snapshot failures counted: ${end.failures}; error lines logged: ${failedLogs(s.svc).length} (at most one a minute per episode)`);
  await s.stop();
  assert.deepEqual(readdirSync(s.stateDir).sort(), ['current', 'previous'], 'no leftovers of the failed writes');
  assert.equal(s.stateFile('current').n_docs, 400, 'the last snapshot holds every post');
});

type Damage = { name: string; damage: (state: string) => void; from: 'previous' | 'none'; kinds: string[] };

function truncate(file: string, keep = 0.5): void {
  const b = readFileSync(file);
  writeFileSync(file, b.subarray(0, Math.floor(b.length * keep)));
}

function flipBit(file: string): void {
  const b = readFileSync(file);
  const i = Math.floor(b.length / 2);
  b[i] = b[i]! ^ 0x10;
  writeFileSync(file, b);
}

const DAMAGES: Damage[] = [
  { name: 'vectors.f32 truncated', damage: (d) => truncate(path.join(d, 'current', 'vectors.f32'), 0.8), from: 'previous', kinds: ['truncated'] },
  { name: 'a bit flipped in docs.jsonl', damage: (d) => flipBit(path.join(d, 'current', 'docs.jsonl')), from: 'previous', kinds: ['checksum'] },
  { name: 'state.json cut in half', damage: (d) => truncate(path.join(d, 'current', 'state.json')), from: 'previous', kinds: ['truncated'] },
  { name: 'a crash between the renames (no current/)', damage: (d) => rmSync(path.join(d, 'current'), { recursive: true }), from: 'previous', kinds: [] },
  {
    name: 'both snapshots damaged',
    damage: (d) => {
      truncate(path.join(d, 'current', 'docs.jsonl'));
      flipBit(path.join(d, 'previous', 'vectors.f32'));
    },
    from: 'none',
    kinds: ['truncated', 'checksum'],
  },
];

test('damaged snapshots and a crash between the renames on a stopped service: start-up goes on, no post without an assignment', { timeout: 40 * 60_000 }, async (t) => {
  const s = await Scenario.create('fault-state-corrupt', {});
  await s.start();
  await s.produceNext(100);
  await s.allAssigned();
  await s.stop();

  for (const d of DAMAGES) {
    assert.ok(existsSync(path.join(s.stateDir, 'previous', 'manifest.json')), `a previous snapshot exists before "${d.name}"`);
    const prevDocs = s.stateFile('previous').n_docs;
    d.damage(s.stateDir);
    await s.start();
    const restored = await s.svc.waitForLog((l) => l.msg === 'restored state snapshot' || l.msg.startsWith('no usable state snapshot'), START_MS, `${s.svc.name} restoring`);
    const setAside = s.svc.logsWith('corrupt state snapshot set aside').map((l) => l.kind as string);
    t.diagnostic(`${d.name}: ${restored.msg} (from ${String(restored.from)}, ${String(restored.docs)} docs); set aside: ${setAside.join(', ') || 'none'}`);
    assert.deepEqual(setAside, d.kinds, `${d.name}: the damaged snapshots are logged and set aside`);
    if (d.from === 'previous') {
      assert.equal(restored.from, 'previous', d.name);
      assert.equal(restored.docs, prevDocs, `${d.name}: previous/ restored whole`);
    } else assert.match(restored.msg, /no usable state snapshot/);
    assert.equal(readdirSync(s.stateDir).filter((n) => n.startsWith('corrupt-')).length, Math.min(3, DAMAGES.slice(0, DAMAGES.indexOf(d) + 1).reduce((n, x) => n + x.kinds.length, 0)));
    await s.produceNext(100);
    await s.allAssigned();
    await s.stop();
  }
});

test('state folder deleted: the restarted owner continues above the published model version and topic ids', { timeout: 30 * 60_000 }, async (t) => {
  const s = await Scenario.create('fault-state-lost', { stream: { window: { maxDocs: 2000 }, refit: { everyDocs: 300, minDocs: 200 } } });
  await s.start();
  await s.produceNext(600);
  await s.allAssigned();
  await s.svc.waitForLog((l) => l.msg === 'refit applied', WAIT_MS, 'a refit');
  await s.stop();
  const f = s.follower!;
  // what the service published is durable once it has exited; the follower may not have read it yet
  await f.readToEnd(s.brokers, WAIT_MS);
  const updates = () => f.values<TopicUpdatePayload>(s.topics.updates);
  const events = () => f.values<TopicEventPayload>(s.topics.events);
  const models = () => f.values<{ model_version: number; topics: Array<{ id: number }> }>(s.topics.models);
  const maxVersion = Math.max(...updates().map((u) => u.model_version), ...models().map((m) => m.model_version));
  const maxId = Math.max(...updates().map((u) => u.topic_id), ...events().map((e) => e.topic_id), ...models().flatMap((m) => m.topics.map((x) => x.id)));
  t.diagnostic(`before the loss: model v${maxVersion}, highest topic id ${maxId}`);
  assert.ok(maxVersion >= 1 && maxId >= 0, 'models and topics were published');

  rmSync(s.stateDir, { recursive: true });
  const restartAt = Date.now();
  await s.start();
  const raised = await s.svc.waitForLog((l) => l.msg.startsWith('model version and topic ids raised'), START_MS, 'the counters raised from the published topics');
  assert.deepEqual(raised.after, { modelVersion: maxVersion, nextTopicId: maxId + 1 });
  await s.produceNext(600);
  await s.allAssigned();
  await s.svc.waitForLog((l) => l.msg === 'refit applied', WAIT_MS, 'a refit after the restart');
  // a refit's messages are durable before it is applied (and logged), but reach the follower later
  await f.readToEnd(s.brokers, WAIT_MS);

  const later = (v: number) => v > maxVersion;
  const newEvents = events().filter((e) => later(e.model_version));
  const newUpdates = updates().filter((u) => later(u.model_version) && u.topic_id >= 0);
  const births = newEvents.filter((e) => e.type === 'born' || e.type === 'split');
  t.diagnostic(`after the restart: ${births.length} topics born (ids ${births.map((e) => e.topic_id).join(',')}), versions ${[...new Set(newEvents.map((e) => e.model_version))].join(',')}`);
  assert.ok(births.length > 0, 'the restarted owner created topics');
  assert.equal(Math.min(...newEvents.map((e) => e.model_version)), maxVersion + 1, 'the first model after the restart is the next version');
  assert.ok(births.every((e) => e.topic_id > maxId), 'no topic id is reused');
  assert.ok(newUpdates.every((u) => u.topic_id > maxId), 'topic updates of the new models carry new ids only');
  assert.ok(Math.max(...models().map((m) => m.model_version)) > maxVersion, 'a newer model is on the models topic');
  const afterRestart = f
    .messages(s.topics.assignments)
    .filter((m) => m.receivedAt >= restartAt)
    .map((m) => JSON.parse(m.value!) as AssignmentPayload);
  assert.ok(afterRestart.length >= 600 && afterRestart.every((a) => a.model_version >= maxVersion), 'assignments after the restart never carry an older model version');
  await s.stop();
});
