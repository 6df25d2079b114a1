/** The service's HTTP port and its snapshots, with an in-memory source and sink (no Kafka, no model). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { Service } from '../../src/service/service.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import { ThemeEmbedder, ThemeRefitter, THEMES } from '../stream/fakes.js';
import { MemorySource } from '../stream/memorySource.js';
import type { RawRecord } from '../../src/stream/types.js';

const log = pino({ level: 'silent' });
const stateDir = mkdtempSync(path.join(tmpdir(), 'ts-svc-'));
const config = loadConfig({
  env: {},
  flags: { http: { port: 0, host: '127.0.0.1' }, state: { dir: stateDir, snapshotEverySeconds: 0 }, stream: { window: { maxDocs: 500 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 } } },
});

const records = (from: number, n: number): RawRecord[] =>
  Array.from({ length: n }, (_, i) => ({ topic: 'posts', partition: (from + i) % 2, offset: String(from + i), key: null, value: Buffer.from(JSON.stringify({ id: `p${from + i}`, text: `${THEMES[(from + i) % 4]} message ${from + i}` })), timestamp: Date.now() }));

function makeService() {
  const source = new MemorySource();
  const embedder = new ThemeEmbedder();
  const svc = new Service({ config, log, embedder, refitter: new ThemeRefitter(), source, sink: new MemorySink() });
  return { svc, source, embedder };
}

async function get(port: number, p: string) {
  const r = await fetch(`http://127.0.0.1:${port}${p}`);
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, type, body: type.includes('json') ? await r.json() : await r.text() };
}

test('HTTP: health, readiness, metrics, topics, search, dashboard; snapshot on stop and restore on start', async () => {
  const { svc, source } = makeService();
  await svc.start();
  const port = svc.httpPort!;
  await source.push(records(0, 60));
  await svc.processor.idle();

  assert.equal((await get(port, '/healthz')).status, 200);
  const ready = await get(port, '/readyz');
  assert.equal(ready.status, 200, JSON.stringify(ready.body));
  const metrics = await get(port, '/metrics');
  assert.match(metrics.type, /text\/plain/);
  assert.match(metrics.body as string, /^topicstream_documents_consumed_total 60$/m);
  assert.match(metrics.body as string, /^topicstream_model_version 1$/m);
  assert.match(metrics.body as string, /topicstream_process_cpu_seconds_total/);
  assert.match(metrics.body as string, /topicstream_topic_documents\{topic="\d+"\}/);

  const topics = (await get(port, '/api/topics')).body as { topics: Array<{ id: number; size: number; words: unknown[] }>; status: { model_version: number } };
  assert.equal(topics.status.model_version, 1);
  const real = topics.topics.filter((t) => t.id !== -1);
  assert.equal(real.length, 4);
  const one = await get(port, `/api/topics/${real[0]!.id}`);
  assert.equal(one.status, 200);
  assert.ok(Array.isArray((one.body as { representative_docs: unknown[] }).representative_docs));
  assert.equal((await get(port, '/api/topics/999')).status, 404);
  const search = (await get(port, '/api/search?q=' + encodeURIComponent('gamma please'))).body as { topic: number; hits: Array<{ text: string }> };
  assert.ok(search.hits.length > 0 && search.hits.every((h) => h.text.startsWith('gamma')));
  assert.equal((await get(port, '/api/search')).status, 400);
  assert.match((await get(port, '/')).body as string, /<title>topicstream<\/title>/);
  assert.equal((await get(port, '/nope')).status, 404);

  await svc.stop();
  const sizeBefore = svc.processor.window.size;
  const versionBefore = svc.processor.modelVersion;
  const idsBefore = svc.processor.registry.active().map((t) => [t.id, t.words[0]?.word]);

  // a new instance resumes: same window, same topics, offsets per partition, no re-embedding
  const again = makeService();
  await again.svc.start();
  assert.equal(again.svc.processor.window.size, sizeBefore);
  assert.equal(again.svc.processor.modelVersion, versionBefore);
  assert.deepEqual(again.svc.processor.registry.active().map((t) => [t.id, t.words[0]?.word]), idsBefore);
  assert.deepEqual([...again.source.resumeFrom!].sort(), [[0, '58'], [1, '59']]);
  assert.equal(again.embedder.calls, 0, 'the window was not embedded again');
  // and keeps going with the same ids
  await again.source.push(records(60, 40));
  await again.svc.processor.idle();
  assert.equal(again.svc.processor.modelVersion, versionBefore + 1);
  assert.deepEqual(again.svc.processor.registry.active().map((t) => [t.id, t.words[0]?.word]), idsBefore);
  await again.svc.stop();
});
