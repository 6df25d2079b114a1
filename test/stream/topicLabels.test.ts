// User labels: label = the API's ?? the config's ?? the automatic one; kept through a refit (the
// plan clones the registry), a snapshot round trip and retirement; published on topic-updates;
// topicstream_topic_info shows active topics only, with their labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import { StreamMetrics } from '../../src/stream/streamMetrics.js';
import { TopicRegistry, automaticLabel } from '../../src/stream/topicRegistry.js';
import { checkLabel } from '../../src/stream/topicLabels.js';
import type { RawRecord } from '../../src/stream/types.js';
import { ThemeEmbedder, ThemeRefitter, THEMES } from './fakes.js';

const log = pino({ level: 'silent' });
let offset = 0;
const post = (id: string, text: string): RawRecord => ({ topic: 'posts', partition: 0, offset: String(offset++), key: null, value: Buffer.from(JSON.stringify({ id, text })), timestamp: Date.now() });
const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => post(`d${from + i}`, `${THEMES[(from + i) % 4]} post ${from + i}`));

function setup(labels: Record<string, string> = {}) {
  const config = loadConfig({ env: {}, flags: { stream: { window: { maxDocs: 200 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 }, assign: { k: 5, minSimilarity: 0.3 } }, topics: { labels } } });
  const sink = new MemorySink();
  const refitter = new ThemeRefitter();
  const p = new StreamProcessor({ config, embedder: new ThemeEmbedder(), sink, refitter, log });
  return { p, sink, refitter, config };
}

test('registry: custom over config over automatic; clearing goes back; clones keep both', () => {
  const r = new TopicRegistry();
  r.ensure(3, 1);
  r.setWords(3, [{ word: 'alpha', score: 1 }, { word: 'beta', score: 0.5 }]);
  const auto = automaticLabel(r.get(3)!);
  assert.equal(r.get(3)!.label, auto);
  r.setConfigLabels(new Map([[3, 'from config']]));
  assert.equal(r.get(3)!.label, 'from config');
  r.setCustomLabel(3, 'from the API');
  assert.equal(r.get(3)!.label, 'from the API');
  const c = r.clone();
  c.setWords(3, [{ word: 'gamma', score: 1 }]);
  assert.equal(c.get(3)!.label, 'from the API', 'new words do not replace a user label');
  c.setCustomLabel(3, null);
  assert.equal(c.get(3)!.label, 'from config', 'the clone keeps the config labels');
  assert.equal(r.setCustomLabel(99, 'x'), undefined);
  r.retire(3, 2);
  assert.equal(r.get(3)!.label, 'from the API', 'a retired topic keeps its label');
});

test('checkLabel: a trimmed string of 1 to 80 characters without control characters', () => {
  assert.deepEqual(checkLabel(' border security '), { ok: true, label: 'border security' });
  for (const bad of [3, null, '', '  ', 'x'.repeat(81), 'a\nb']) assert.equal(checkLabel(bad).ok, false, JSON.stringify(bad));
});

test('a user label survives refits and a snapshot round trip, and is published on topic-updates', async () => {
  const { p, sink, config } = setup();
  await p.handleBatch(batch(40, 0));
  await p.idle();
  const alpha = p.registry.active().find((t) => t.words[0]?.word === 'alpha')!;
  assert.equal(await p.setLabel(12345, 'nobody'), undefined);
  const set = await p.setLabel(alpha.id, 'first letters');
  assert.equal(set?.label, 'first letters');
  const upd = sink.values<{ topic_id: number; label: string; custom_label: string | null }>('updates').at(-1)!;
  assert.deepEqual([upd.topic_id, upd.label, upd.custom_label], [alpha.id, 'first letters', 'first letters']);

  await p.handleBatch(batch(40, 100));
  await p.idle();
  assert.equal(p.modelVersion, 2);
  assert.equal(p.registry.get(alpha.id)!.label, 'first letters', 'kept through the refit plan');
  const refitUpd = sink.values<{ topic_id: number; label: string; model_version: number }>('updates').filter((u) => u.model_version === 2 && u.topic_id === alpha.id);
  assert.equal(refitUpd[0]?.label, 'first letters');

  const q = new StreamProcessor({ config, embedder: new ThemeEmbedder(), sink: new MemorySink(), refitter: new ThemeRefitter(), log });
  q.restore(structuredClone(p.snapshot()));
  assert.equal(q.registry.get(alpha.id)!.label, 'first letters', 'kept through a snapshot');
  await q.setLabel(alpha.id, null);
  assert.equal(q.registry.get(alpha.id)!.label, automaticLabel(q.registry.get(alpha.id)!));
});

test('config labels name topics; the events name topics and related topics', async () => {
  const { p, sink } = setup({ '0': 'the first' });
  await p.handleBatch(batch(40, 0));
  await p.idle();
  assert.equal(p.registry.get(0)!.label, 'the first');
  const events = sink.values<{ topic_id: number; label: string; related_labels: string[] }>('events');
  assert.equal(events.find((e) => e.topic_id === 0)?.label, 'the first');
  for (const e of events) assert.equal(e.label, p.registry.get(e.topic_id)!.label);
});

test('topicstream_topic_info: one series per active topic, with its label; gone when retired', async () => {
  const { p } = setup();
  const m = new StreamMetrics(false);
  m.listen(p);
  await p.handleBatch(batch(40, 0));
  await p.idle();
  const alpha = p.registry.active().find((t) => t.words[0]?.word === 'alpha')!;
  await p.setLabel(alpha.id, 'first letters');
  const info = (await m.registry.getSingleMetric('topicstream_topic_info')!.get()).values;
  assert.equal(info.length, p.registry.active().length);
  assert.ok(info.every((v) => v.value === 1));
  assert.equal(info.find((v) => v.labels.topic === String(alpha.id))?.labels.label, 'first letters');
  assert.ok(!info.some((v) => v.labels.topic === '-1'), 'outliers are not a topic');
  p.registry.retire(alpha.id, 9);
  const after = (await m.registry.getSingleMetric('topicstream_topic_info')!.get()).values;
  assert.ok(!after.some((v) => v.labels.topic === String(alpha.id)), 'a retired topic has no series');
});
