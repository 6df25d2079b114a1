/**
 * What the live dashboard reads, from a real Service with an in-memory source and sink (themed
 * fake vectors: the code under test does not care what they mean): topic history and trend,
 * topics over time, the map, search's closest topics, the live feed (server-sent events), the
 * topic-history stream, and history kept through a restart.
 */
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
import type { OverTimeView, TopicHistoryView, TopicMapView, TopicView } from '../../src/http/types.js';
import type { TopicHistoryPayload } from '../../src/stream/messages.js';

const log = pino({ level: 'silent' });
const stateDir = mkdtempSync(path.join(tmpdir(), 'ts-dash-'));
const config = loadConfig({
  env: {},
  flags: {
    http: { port: 0, host: '127.0.0.1', mapDocs: 60, maxLiveClients: 2 },
    state: { dir: stateDir, snapshotEverySeconds: 0 },
    stream: { window: { maxDocs: 500 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 }, history: { points: 3, events: 10 } },
  },
});
const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

const records = (from: number, n: number): RawRecord[] =>
  Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const doc = { id: `p${k}`, text: `${THEMES[k % 4]} message ${k}`, ts: new Date(T0 + k * DAY).toISOString() };
    return { topic: 'posts', partition: 0, offset: String(k), key: null, value: Buffer.from(JSON.stringify(doc)), timestamp: Date.now() };
  });

function makeService(sink = new MemorySink()) {
  const source = new MemorySource();
  const svc = new Service({ config, log, embedder: new ThemeEmbedder(), refitter: new ThemeRefitter(), source, sink });
  return { svc, source, sink };
}

async function getJson<T>(port: number, p: string): Promise<{ status: number; body: T }> {
  const r = await fetch(`http://127.0.0.1:${port}${p}`);
  return { status: r.status, body: (await r.json()) as T };
}

/** Reads server-sent events until `until` says stop. */
async function readEvents(port: number, until: (events: Array<{ event: string; data: unknown }>) => boolean, act?: () => Promise<void>) {
  const ac = new AbortController();
  const r = await fetch(`http://127.0.0.1:${port}/api/stream`, { signal: ac.signal });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = r.body!.getReader();
  const events: Array<{ event: string; data: unknown }> = [];
  let buf = '';
  let acted = false;
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += Buffer.from(value).toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    if (!acted && events.length > 0 && act) {
      acted = true;
      await act();
    }
  }
  ac.abort();
  return events;
}

test('history, trend, over time, map, closest topics, live feed and the topic-history stream; history survives a restart', { timeout: 60_000 }, async () => {
  const { svc, source, sink } = makeService();
  await svc.start();
  const port = svc.httpPort!;
  await source.push(records(0, 40));
  await svc.processor.idle();
  await source.push(records(40, 40));
  await svc.processor.idle();
  assert.equal(svc.processor.modelVersion, 2);

  const { body: list } = await getJson<{ topics: TopicView[] }>(port, '/api/topics');
  const real = list.topics.filter((t) => t.id !== -1);
  assert.equal(real.length, 4);
  for (const t of real) assert.deepEqual(t.trend.length, 2, `topic ${t.id} trend`);

  const id = real[0]!.id;
  const h = await getJson<TopicHistoryView>(port, `/api/topics/${id}/history`);
  assert.equal(h.status, 200);
  assert.deepEqual(h.body.history.map((p) => p.model_version), [1, 2]);
  assert.ok(h.body.history[1]!.words.length > 0);
  assert.equal(h.body.lineage[0]!.type, 'born');
  assert.equal((await getJson(port, '/api/topics/9999/history')).status, 404);

  const ot = (await getJson<OverTimeView>(port, '/api/over-time')).body;
  assert.deepEqual(ot.refits.versions, [1, 2]);
  assert.equal(ot.refits.series.length, 4);
  assert.ok(ot.buckets, 'documents have ts');
  assert.equal(ot.buckets.seconds, 86_400 * 7, '80 days in at most 60 buckets: weeks');
  assert.equal(ot.buckets.series.reduce((s, x) => s + x.counts.reduce((a, b) => a + b, 0), 0), 80 - (list.topics.find((t) => t.id === -1)?.size ?? 0));

  const map = (await getJson<TopicMapView>(port, '/api/map')).body;
  assert.equal(map.model_version, 2);
  assert.deepEqual(map.topics.map((t) => t.id).sort(), real.map((t) => t.id).sort(), 'one mark per topic');
  assert.equal(map.docs.length, 60);
  for (const p of [...map.docs, ...map.topics]) assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y));
  assert.deepEqual((await getJson<TopicMapView>(port, '/api/map')).body, map, 'computed once per model version');

  const s = (await getJson<{ topic: number; topics: Array<{ id: number; label: string; words: string[] }> }>(port, `/api/search?q=${encodeURIComponent(THEMES[1]!)}`)).body;
  assert.equal(s.topics.length, 4);
  assert.equal(s.topics[0]!.id, s.topic, 'the closest topic is the one assigned');
  assert.equal((await getJson(port, '/api/search?q=x&k=0')).status, 400);
  assert.equal((await getJson(port, '/api/topics?all=maybe')).status, 400);

  // live: the topics at once; then a refit's events and version, without asking
  const events = await readEvents(
    port,
    (ev) => ev.some((e) => e.event === 'refit'),
    async () => {
      await source.push(records(80, 40));
      await svc.processor.idle();
    },
  );
  assert.equal(events[0]!.event, 'topics');
  assert.deepEqual(events.find((e) => e.event === 'refit')!.data, { model_version: 3 });

  // the topic-history stream: one message per topic the refit touched, every refit
  const published = sink.values<TopicHistoryPayload>('history');
  assert.deepEqual([...new Set(published.map((m) => m.model_version))], [1, 2, 3]);
  assert.ok(published.every((m) => typeof m.label === 'string' && Array.isArray(m.words)));

  await svc.stop();
  const again = makeService();
  await again.svc.start();
  const kept = await getJson<TopicHistoryView>(again.svc.httpPort!, `/api/topics/${id}/history`);
  assert.deepEqual(kept.body.history.map((p) => p.model_version), [1, 2, 3], 'history is in the snapshot (3 points kept: stream.history.points)');
  const { body: ev } = await getJson<{ events: Array<{ type: string; model_version: number }> }>(again.svc.httpPort!, '/api/events');
  assert.deepEqual(ev.events.filter((e) => e.type === 'born').length, 4, '/api/events after a restart: from the lineage the snapshot kept, each event once');
  await again.svc.stop();
});

test('the live feed refuses dashboards beyond http.maxLiveClients and ends streams when the service stops', { timeout: 30_000 }, async () => {
  const { svc } = makeService();
  await svc.start();
  const port = svc.httpPort!;
  const open = [new AbortController(), new AbortController()];
  const streams = await Promise.all(open.map((ac) => fetch(`http://127.0.0.1:${port}/api/stream`, { signal: ac.signal })));
  assert.deepEqual(streams.map((r) => r.status), [200, 200]);
  const third = await fetch(`http://127.0.0.1:${port}/api/stream`);
  assert.equal(third.status, 503);
  assert.match(((await third.json()) as { error: string }).error, /too many live dashboards/);
  const reader = streams[0]!.body!.getReader();
  const stopping = svc.stop();
  // the stream ends (done) rather than hanging until the server's grace period cuts it
  for (;;) if ((await reader.read()).done) break;
  await stopping;
  open.forEach((ac) => ac.abort());
});
