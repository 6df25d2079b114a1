/**
 * The service around the store, with an in-memory source and sink: a failing snapshot never stops
 * consumption (it is counted on /metrics and logged at most once a minute), a later one succeeds;
 * counters recovered at start-up raise the model version and topic ids; the file-mode recovery
 * from updates.jsonl; the failure log's rate limit.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { Service } from '../../src/service/service.js';
import { FailureLog } from '../../src/state/failureLog.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import { JsonlSink } from '../../src/stream/sinks/jsonlSink.js';
import { recoverCountersFromJsonl } from '../../src/stream/sinks/jsonlCounters.js';
import { CounterTracker, type RecoveredCounters } from '../../src/stream/model/publishedCounters.js';
import { ThemeEmbedder, ThemeRefitter } from '../stream/fakes.js';
import { MemorySource } from '../stream/memorySource.js';
import { posts } from './snapshotFixtures.js';

const root = mkdtempSync(path.join(tmpdir(), 'ts-snapsvc-'));
after(() => rmSync(root, { recursive: true, force: true }));

function makeService(stateDir: string, recoverCounters?: () => Promise<RecoveredCounters | undefined>) {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  const config = loadConfig({ env: {}, flags: { http: { port: 0 }, state: { dir: stateDir, snapshotEverySeconds: 0.001 }, stream: { window: { maxDocs: 500 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 } } } });
  const source = new MemorySource();
  const sink = new MemorySink();
  const svc = new Service({ config, log, embedder: new ThemeEmbedder(), refitter: new ThemeRefitter(), source, sink, http: false, recoverCounters });
  return { svc, source, sink, lines };
}

async function metric(svc: Service, name: string): Promise<number> {
  const text = await svc.metrics.registry.metrics();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  assert.ok(m, `${name} on /metrics`);
  return Number(m[1]);
}

test('snapshots failing (state.dir unusable) never stop consumption; counted, logged once a minute; a later snapshot succeeds', async () => {
  const blocker = path.join(root, 'blocker');
  writeFileSync(blocker, 'a file where the state folder should be');
  const { svc, source, sink, lines } = makeService(path.join(blocker, 'state'));
  await svc.start();
  for (let i = 0; i < 5; i++) {
    await source.push(posts(10)); // each batch tries a snapshot (snapshotEverySeconds ≈ 0)
    await new Promise((r) => setTimeout(r, 2)); // let the snapshot interval pass between batches
  }
  await svc.processor.idle();
  assert.equal(sink.values('assignments').filter((a) => (a as { method: string }).method === 'knn').length, 50, 'every post assigned');
  const failures = await metric(svc, 'topicstream_snapshot_failures_total');
  assert.ok(failures >= 5, `failures counted (${failures})`);
  assert.equal(await metric(svc, 'topicstream_snapshot_last_success_timestamp_seconds'), 0);
  const errors = lines.filter((l) => l.msg === 'state snapshot failed; consumption goes on (a restart would resume from the last good snapshot)');
  assert.equal(errors.length, 1, 'logged once within the minute');
  assert.equal(errors[0]!.dir, path.join(blocker, 'state'));

  rmSync(blocker);
  mkdirSync(blocker);
  const before = Date.now() / 1000;
  assert.equal(svc.snapshot(), true);
  assert.ok((await metric(svc, 'topicstream_snapshot_last_success_timestamp_seconds')) >= Math.floor(before));
  assert.equal(lines.filter((l) => l.msg === 'state snapshots work again').length, 1);
  assert.equal(await metric(svc, 'topicstream_snapshot_failures_total'), failures, 'no new failure');
  await svc.stop();
});

test('recovered counters raise the model version and topic ids of a service without state; a refit continues above them', async () => {
  const { svc, source, sink, lines } = makeService(path.join(root, 'fresh-state'), async () => ({ modelVersion: 7, nextTopicId: 42 }));
  await svc.start();
  assert.equal(svc.processor.modelVersion, 7);
  assert.equal(svc.processor.registry.nextId, 42);
  assert.ok(lines.some((l) => /raised to what was already published/.test(String(l.msg))));
  await source.push(posts(60));
  await svc.processor.idle();
  assert.equal(svc.processor.modelVersion, 8);
  const born = sink.values<{ type: string; topic_id: number; model_version: number }>('events').filter((e) => e.type === 'born');
  assert.ok(born.length >= 4);
  assert.ok(born.every((e) => e.topic_id >= 42 && e.model_version === 8), JSON.stringify(born));
  await svc.stop();
});

test('recovered counters never lower what a snapshot restored', async () => {
  const dir = path.join(root, 'restored-state');
  const first = makeService(dir);
  await first.svc.start();
  await first.source.push(posts(60));
  await first.svc.processor.idle();
  await first.svc.stop();
  const saved = { modelVersion: first.svc.processor.modelVersion, nextTopicId: first.svc.processor.registry.nextId };
  const second = makeService(dir, async () => ({ modelVersion: 0, nextTopicId: 1 }));
  await second.svc.start();
  assert.deepEqual({ modelVersion: second.svc.processor.modelVersion, nextTopicId: second.svc.processor.registry.nextId }, saved);
  await second.svc.stop();
});

test('updates.jsonl: the highest model version and topic id; a line cut by a crash is skipped; no file, nothing', async () => {
  const out = path.join(root, 'out');
  assert.equal(await recoverCountersFromJsonl(out), undefined);
  const sink = new JsonlSink(out);
  const upd = (id: number, v: number) => ({ key: String(id), value: JSON.stringify({ topic_id: id, status: 'active', model_version: v }) });
  await sink.send('updates', [upd(0, 1), upd(3, 1), upd(11, 4), upd(2, 5)]);
  await sink.close();
  assert.deepEqual(await recoverCountersFromJsonl(out), { modelVersion: 5, nextTopicId: 12 });
  writeFileSync(path.join(out, 'updates.jsonl'), '{"key":"40","value":{"topic_id":40,"model_ver', { flag: 'a' });
  assert.deepEqual(await recoverCountersFromJsonl(out), { modelVersion: 5, nextTopicId: 12 });
});

test('a published model message gives its version and every topic id', () => {
  const t = new CounterTracker();
  t.model(JSON.stringify({ model_version: 9, topics: [{ id: 3 }, { id: 17 }] }));
  t.model('not json');
  t.update('21', null); // a tombstone: its key was used
  assert.deepEqual(t.result(), { modelVersion: 9, nextTopicId: 22 });
  assert.equal(t.unreadable, 1);
  assert.equal(new CounterTracker().result(), undefined);
});

test('FailureLog: the first failure, then one a interval with the count in between; a success resets', () => {
  let now = 0;
  const f = new FailureLog(60_000, () => now);
  assert.deepEqual(f.failed(), { consecutiveFailures: 1, notLogged: 0 });
  now = 1000;
  assert.equal(f.failed(), undefined);
  now = 30_000;
  assert.equal(f.failed(), undefined);
  now = 61_000;
  assert.deepEqual(f.failed(), { consecutiveFailures: 4, notLogged: 2 });
  assert.equal(f.succeeded(), 4);
  assert.equal(f.succeeded(), 0);
  now = 62_000;
  assert.deepEqual(f.failed(), { consecutiveFailures: 1, notLogged: 0 });
});
