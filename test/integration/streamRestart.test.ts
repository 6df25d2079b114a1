// Crash and restart against the real broker: the service is killed with SIGKILL mid-stream, started
// again with the same config and state folder, and must leave no input document without an
// assignment, restoring its snapshot instead of re-embedding the window. And the embedded default
// without Kafka: `topicstream run --input FILE` on a small file with bad lines mixed in.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SHARED_DATA } from '../helpers/paths.js';
import { createTopic, deleteTopics, ensureKafka, uniqueName } from '../helpers/kafka.js';
import {
  firstLines,
  getJson,
  httpPortOf,
  readJsonl,
  serviceConfig,
  startCli,
  stopAllServices,
  TopicFollower,
  uniqueStreamTopics,
  writeJson,
  type ServiceProcess,
} from '../helpers/service.js';
import type { AssignmentPayload, DlqPayload, TopicEventPayload, TopicUpdatePayload } from '../helpers/streamOutputs.js';

const TWEETS = path.join(SHARED_DATA, 'trump_tweets_2009_2019.jsonl.gz');
const SAMPLE = path.join(ROOT, 'data', 'tweets-sample.jsonl.gz');
const WAIT_MS = 20 * 60_000;

const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await stopAllServices();
  for (const c of cleanups.reverse()) await c().catch(() => undefined); // the follower stops before its topics go
  if (process.env.TOPICSTREAM_TEST_KEEP) process.stderr.write(`stream-restart: kept ${dirs.join(' ')}\n`);
  else for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

interface SnapshotFile {
  n_docs: number;
  model_version: number;
  next_topic_id: number;
  offsets: Record<string, string>;
}

test('SIGKILL mid-stream, then a restart: every input document is assigned, from the snapshot, without re-embedding the window', { timeout: WAIT_MS + 5 * 60_000 }, async (t) => {
  const N = 1500;
  const { brokers } = await ensureKafka();
  const topics = uniqueStreamTopics('stream-restart');
  cleanups.push(() => deleteTopics(brokers, Object.values(topics)));
  const dir = tempDir('topicstream-stream-restart-');
  const input = path.join(dir, 'tweets.jsonl');
  const lines = await firstLines(TWEETS, N);
  writeFileSync(input, lines.map((b) => b.toString('utf8')).join('\n') + '\n');
  const ids = lines.map((b) => (JSON.parse(b.toString('utf8')) as { id: string }).id);

  await createTopic(brokers, { name: topics.posts, partitions: 3 });
  const stateDir = path.join(dir, 'state');
  const config = writeJson(
    path.join(dir, 'config.json'),
    serviceConfig({ brokers, topics, groupId: uniqueName('stream-restart-group'), stateDir, overrides: { stream: { refit: { everyDocs: 500 } } } }),
  );

  const first = startCli(['run', '--config', config], { name: 'topicstream run (first)' });
  await first.waitForLog((l) => l.msg === 'joined consumer group', 5 * 60_000, 'the first service joining its group');
  const follower = await TopicFollower.start(brokers, [topics.assignments, topics.updates, topics.events, topics.dlq]);
  cleanups.push(() => follower.stop());
  // a slow-ish input (the `produce` command, 60 messages/s), so that the kill falls mid-stream
  const producer = startCli(['produce', input, '--topic', topics.posts, '--brokers', brokers.join(','), '--rate', '60'], { name: 'topicstream produce' });

  const assignedIds = () => new Set(follower.messages(topics.assignments).map((m) => m.key!));
  // The newest snapshot as a restart loads it: current/, else previous/. The service rotates them
  // with two renames every snapshotEverySeconds: for a few microseconds there is no current/.
  const readSnapshot = (): SnapshotFile | undefined => {
    for (const slot of ['current', 'previous']) {
      try {
        return JSON.parse(readFileSync(path.join(stateDir, slot, 'state.json'), 'utf8')) as SnapshotFile;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return undefined;
  };
  // kill once a refit was applied and a snapshot holds a model, with documents still to come
  await follower.waitUntil(
    () => first.logsWith('refit applied').length >= 1 && (readSnapshot()?.model_version ?? 0) >= 1 && assignedIds().size >= 600,
    WAIT_MS,
    () => `a refit, a snapshot with a model and 600 assignments (${assignedIds().size} so far)\n${first.tail()}`,
    () => (first.running() ? undefined : `the first service exited\n${first.tail()}`),
  );
  first.kill('SIGKILL');
  const killed = await first.exited;
  assert.equal(killed.signal, 'SIGKILL');
  const atKill = assignedIds().size;
  const snap = readSnapshot()!;
  t.diagnostic(`killed with ${atKill} of ${N} ids assigned; snapshot: ${snap.n_docs} docs, model v${snap.model_version}, offsets ${JSON.stringify(snap.offsets)}`);
  assert.ok(atKill < N, `the kill came mid-stream (${atKill} of ${N} assigned)`);

  const second = startCli(['run', '--config', config], { name: 'topicstream run (restarted)' });
  const restored = await second.waitForLog((l) => l.msg === 'restored state snapshot', 5 * 60_000, 'the restarted service restoring its snapshot');
  assert.equal(restored.docs, snap.n_docs, 'the restart restored the snapshot it found');
  assert.equal(restored.modelVersion, snap.model_version);
  const port = await httpPortOf(second);
  await follower.waitUntil(
    () => ids.every((id) => assignedIds().has(id)) && !producer.running(),
    WAIT_MS,
    () => `every one of ${N} ids assigned (${assignedIds().size} so far)\n${second.tail()}`,
    () => (second.running() ? undefined : `the restarted service exited\n${second.tail()}`),
  );
  assert.deepEqual(await producer.exited, { code: 0, signal: null }, producer.tail());
  const status = await getJson<{ consumed: number; assigned: number; model_version: number; window_docs: number }>(port, '/api/status');
  t.diagnostic(`restarted service: ${JSON.stringify(status)}`);
  // the restart read only what the snapshot did not hold: no re-embedding of the window
  assert.equal(status.consumed, N - snap.n_docs, 'records read after the restart = input - documents in the snapshot');
  assert.equal(status.window_docs, N, 'the window holds every document once');
  assert.ok(status.model_version >= snap.model_version);

  // everything published so far, events and dead letters included
  await follower.readToEnd(brokers, WAIT_MS);
  // the first k-NN assignments after the restart use the restored model
  const afterRestart = follower
    .messages(topics.assignments)
    .filter((m) => Number(m.timestamp) >= restored.time)
    .map((m) => JSON.parse(m.value!) as AssignmentPayload);
  assert.ok(afterRestart.length > 0);
  assert.ok(afterRestart.every((a) => a.model_version >= snap.model_version), 'assignments after the restart carry the restored model version or later');
  assert.ok(
    afterRestart.some((a) => a.method === 'knn' && a.topic_id >= 0),
    'the restored index assigns topics at once (not only outliers until the next refit)',
  );

  // topic ids are never reused across the restart
  const events = follower.values<TopicEventPayload>(topics.events);
  const births = events.filter((e) => e.type === 'born' || e.type === 'split').map((e) => e.topic_id);
  assert.equal(new Set(births).size, births.length, `no topic id is born twice (${births.join(',')})`);
  assert.ok(
    events.filter((e) => e.model_version > snap.model_version && (e.type === 'born' || e.type === 'split')).every((e) => e.topic_id >= snap.next_topic_id),
    'topics born after the restart take ids after the restored next id',
  );
  assert.equal(follower.messages(topics.dlq).length, 0, 'nothing dead-lettered');

  assert.deepEqual(await second.stop(120_000), { code: 0, signal: null }, second.tail());
});

test('run --input (no broker): every good line assigned, bad lines in dlq.jsonl, topics printed, exit 0', { timeout: 15 * 60_000 }, async (t) => {
  const dir = tempDir('topicstream-run-input-');
  const good = (await firstLines(SAMPLE, 588)).map((b) => b.toString('utf8'));
  const goodIds = good.map((l) => (JSON.parse(l) as { id: string }).id);
  const dupOf = JSON.parse(good[100]!) as { id: string; text: string };
  // each bad line with the reason it must be rejected for
  const bad: Array<{ line: Buffer; reason: string }> = [
    { line: Buffer.from('not json at all'), reason: 'not_json' },
    { line: Buffer.from('{"id": "x-trailing", "text": "cut off'), reason: 'not_json' },
    { line: Buffer.from('"just a string"'), reason: 'not_object' },
    { line: Buffer.from('{"id": "x-empty", "text": ""}'), reason: 'empty_text' },
    { line: Buffer.from('{"id": "x-missing", "body": "no text"}'), reason: 'missing_text' },
    { line: Buffer.from('{"id": "x-number", "text": 3.14}'), reason: 'wrong_type' },
    { line: Buffer.concat([Buffer.from('{"id": "x-utf8", "text": "bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), reason: 'invalid_utf8' },
    { line: Buffer.from('{"id": "x-ts", "text": "fine", "ts": "not a date"}'), reason: 'bad_timestamp' },
    { line: Buffer.from(JSON.stringify({ id: 'x-big', text: 'word '.repeat(6000) })), reason: 'oversize' },
    { line: Buffer.from(JSON.stringify({ id: dupOf.id, text: dupOf.text + ' (edited)' })), reason: 'duplicate_id' },
    { line: Buffer.from('{"id": {"nested": 1}, "text": "an id must be a string or a number"}'), reason: 'wrong_type' },
    { line: Buffer.from('[]'), reason: 'not_object' },
  ];
  // bad lines spread over the file; line numbers (1-based) are the offsets the DLQ must report
  const lines: Buffer[] = good.map((l) => Buffer.from(l));
  const badAt = new Map<number, string>();
  bad.forEach((b, i) => {
    const at = 150 + i * 30; // after the duplicate's original (line 101)
    lines.splice(at, 0, b.line);
  });
  lines.forEach((l, i) => {
    const b = bad.find((x) => x.line === l);
    if (b) badAt.set(i + 1, b.reason);
  });
  assert.equal(lines.length, 600);
  const input = path.join(dir, 'input.jsonl');
  writeFileSync(input, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  const out = path.join(dir, 'out');

  const svc: ServiceProcess = startCli(
    ['run', '--input', input, '--out', out, '--state-dir', path.join(dir, 'state'), '--port', '0', '--refit-every', '250', '--window', '1000'],
    { name: 'topicstream run --input', env: { TOPICSTREAM__kafka__maxMessageBytes: '20000', TOPICSTREAM__http__host: '127.0.0.1' } },
  );
  const exit = await Promise.race([svc.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 12 * 60_000).unref())]);
  assert.notEqual(exit, 'timeout', `run --input did not finish\n${svc.tail()}`);
  assert.deepEqual(exit, { code: 0, signal: null }, svc.tail());

  const assignments = readJsonl<{ key: string; value: AssignmentPayload }>(path.join(out, 'assignments.jsonl'));
  const assigned = new Set(assignments.map((a) => a.value.doc_id));
  for (const a of assignments) assert.equal(a.key, a.value.doc_id);
  assert.deepEqual(goodIds.filter((id) => !assigned.has(id)), [], 'every good line is assigned');
  assert.equal(assigned.size, goodIds.length, 'and nothing else');

  const dlq = readJsonl<{ key: string | null; value: DlqPayload }>(path.join(out, 'dlq.jsonl'));
  const dlqAt = new Map(dlq.map((d) => [Number(d.value.offset), d.value]));
  assert.equal(dlq.length, bad.length, dlq.map((d) => `${d.value.offset}:${d.value.reason}`).join(' '));
  for (const [lineNo, reason] of badAt) {
    const d = dlqAt.get(lineNo);
    assert.ok(d, `line ${lineNo} (${reason}) is in dlq.jsonl`);
    assert.equal(d.reason, reason, `line ${lineNo}: ${d.message}`);
    assert.equal(d.partition, 0);
    assert.equal(d.source_topic, 'input.jsonl');
  }

  const updates = readJsonl<{ key: string; value: TopicUpdatePayload }>(path.join(out, 'updates.jsonl'));
  const events = readJsonl<{ key: string; value: TopicEventPayload }>(path.join(out, 'events.jsonl'));
  assert.ok(updates.length > 0 && updates.every((u) => u.key === String(u.value.topic_id)), 'updates.jsonl, keyed by topic id');
  assert.ok(events.length > 0, 'events.jsonl');
  const versions = new Set(updates.map((u) => u.value.model_version));
  assert.ok(versions.size >= 2, `two refits or more (versions ${[...versions].join(',')})`);
  // topics are printed as they form: a table per refit on stdout
  const heads = svc.stdout.filter((l) => l.startsWith('── model v'));
  assert.equal(heads.length, versions.size, 'a topic table per refit on stdout');
  t.diagnostic(heads.join('\n'));
  assert.ok(svc.logsWith('input replayed').length === 1);
  assert.ok(existsSync(path.join(dir, 'state', 'current', 'state.json')), 'a snapshot on exit');
});
