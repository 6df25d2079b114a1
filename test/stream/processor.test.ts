import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import type { OutMessage, OutStream, RawRecord } from '../../src/stream/types.js';
import { ThemeEmbedder, ThemeRefitter, THEMES } from './fakes.js';

const log = pino({ level: 'silent' });

function config(over: Record<string, unknown> = {}) {
  return loadConfig({ env: {}, flags: { stream: { window: { maxDocs: 200 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 }, assign: { k: 5, minSimilarity: 0.3 } }, kafka: { maxMessageBytes: 2000 }, ...over } });
}

let offset = 0;
function rec(value: string | Buffer | null, partition = 0): RawRecord {
  return { topic: 'posts', partition, offset: String(offset++), key: null, value: value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value), timestamp: Date.now() };
}
const post = (id: string, text: string) => rec(JSON.stringify({ id, text }));

function setup(over: Record<string, unknown> = {}) {
  const sink = new MemorySink();
  const embedder = new ThemeEmbedder();
  const refitter = new ThemeRefitter();
  const p = new StreamProcessor({ config: config(over), embedder, sink, refitter, log });
  return { p, sink, embedder, refitter };
}

test('bad records go to the DLQ with reason, partition and offset; the good ones around them are assigned', async () => {
  const { p, sink } = setup();
  const bad = [rec('not json'), rec('{"id":"e","text":""}'), rec('{"id":"m"}'), rec('{"id":"w","text":5}'), rec(Buffer.from([0x7b, 0xff, 0x7d])), rec(null), rec(JSON.stringify({ id: 'big', text: 'x'.repeat(3000) }))];
  await p.handleBatch([post('g1', 'alpha one'), ...bad, post('g2', 'beta two')]);
  const dlq = sink.values<{ reason: string; partition: number; offset: string; value: string | null; value_base64: string | null }>('dlq');
  assert.deepEqual(dlq.map((d) => d.reason), ['not_json', 'empty_text', 'missing_text', 'wrong_type', 'invalid_utf8', 'missing_text', 'oversize']);
  assert.deepEqual(dlq.map((d) => d.offset), bad.map((b) => b.offset));
  assert.equal(dlq[0]!.value, 'not json');
  assert.equal(dlq[4]!.value_base64, Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'));
  const asg = sink.values<{ doc_id: string; method: string; topic_id: number }>('assignments');
  assert.deepEqual(asg.map((a) => a.doc_id), ['g1', 'g2']);
  assert.ok(asg.every((a) => a.method === 'knn'));
  assert.equal(p.stats.invalid, 7);
  assert.equal(p.window.size, 2);
});

test('a redelivered document is answered again but not counted twice; same id with another text is dead-lettered', async () => {
  const { p, sink } = setup();
  await p.handleBatch([post('a', 'alpha x'), post('a', 'alpha x')]);
  await p.handleBatch([post('a', 'alpha x'), post('a', 'gamma changed')]);
  assert.equal(p.window.size, 1);
  assert.equal(sink.values('assignments').length, 2, 'first delivery + one replay answer');
  assert.deepEqual(sink.values<{ reason: string }>('dlq').map((d) => d.reason), ['duplicate_id']);
  assert.equal(p.stats.duplicates, 2);
});

test('refits assign topics, publish updates and events, and keep ids when the clusterer relabels', async () => {
  const { p, sink, refitter } = setup();
  const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => post(`d${from + i}`, `${THEMES[(from + i) % 4]} post ${from + i}`));
  await p.handleBatch(batch(40, 0));
  await p.idle();
  assert.equal(p.modelVersion, 1);
  const born = sink.values<{ type: string; topic_id: number }>('events');
  assert.deepEqual(born.map((e) => e.type), ['born', 'born', 'born', 'born']);
  const idOfTheme = new Map(THEMES.map((t) => [t, p.registry.active().find((x) => x.words[0]?.word === t)!.id]));
  assert.equal(new Set(idOfTheme.values()).size, 4);
  const refitAssign = sink.values<{ method: string; model_version: number }>('assignments').filter((a) => a.method === 'refit');
  assert.equal(refitAssign.length, 40, 'every document moved from -1 to its topic at the first refit');

  // between refits, new posts are assigned by their neighbours' topics
  await p.handleBatch([post('n1', 'gamma fresh')]);
  const last = sink.values<{ doc_id: string; topic_id: number }>('assignments').at(-1)!;
  assert.equal(last.topic_id, idOfTheme.get('gamma'));

  refitter.shift = 1; // the clusterer now numbers its clusters differently
  const before = sink.values('events').length;
  await p.handleBatch(batch(40, 100));
  await p.idle();
  assert.equal(p.modelVersion, 2);
  for (const t of p.registry.active()) assert.equal(idOfTheme.get(t.words[0]!.word), t.id, `theme ${t.words[0]!.word} kept its id`);
  assert.equal(sink.values('events').length, before, 'no born/died events when nothing changed');
  assert.ok(p.stats.lastRefit!.stability > 0.9);
  const upd = sink.values<{ topic_id: number; status: string; size: number; model_version: number; words: unknown[]; window: { docs: number } }>('updates').filter((u) => u.model_version === 2);
  assert.deepEqual(upd.map((u) => u.topic_id).sort((a, b) => a - b), [-1, ...idOfTheme.values()].sort((a, b) => a - b));
  assert.ok(upd.every((u) => u.status === 'active' && u.window.docs === 81));
});

test('a batch resolves only after its outputs are durable', async () => {
  const { p } = setup();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = { name: 'slow', async send(_s: OutStream, _m: OutMessage[]) { await gate; }, async close() {} };
  const p2 = new StreamProcessor({ config: config(), embedder: new ThemeEmbedder(), sink: slow, refitter: new ThemeRefitter(), log });
  let done = false;
  const h = p2.handleBatch([post('z', 'alpha z')]).then(() => (done = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(done, false);
  assert.equal(p2.offsets.size, 0, 'no offset recorded before the sink acknowledged');
  release();
  await h;
  assert.equal(p2.offsets.get(0), String(offset - 1));
  void p;
});

test('a failing refit keeps the previous topics and the service running', async () => {
  const { p, sink, refitter } = setup();
  refitter.cluster = async () => {
    throw new Error('boom');
  };
  await p.handleBatch(Array.from({ length: 40 }, (_, i) => post(`f${i}`, `alpha ${i}`)));
  await p.idle();
  assert.equal(p.stats.refitFailures, 1);
  assert.equal(p.modelVersion, 0);
  await p.handleBatch([post('after', 'beta after')]);
  assert.equal(sink.values('assignments').length, 41);
});

test('scale-out: a follower adopts the model the refit owner published and assigns with the same topic ids', async () => {
  const leader = setup();
  const docs = (n: number, from: number) => Array.from({ length: n }, (_, i) => post(`s${from + i}`, `${THEMES[(from + i) % 4]} shared ${from + i}`));
  await leader.p.handleBatch(docs(40, 0));
  await leader.p.idle();
  const models = leader.sink.values<{ model_version: number; topics: Array<{ id: number; centroid: string }> }>('models');
  assert.equal(models.length, 1);
  assert.equal(models[0]!.topics.length, 4);

  const f = setup({ stream: { role: 'follower', window: { maxDocs: 200 }, refit: { everyDocs: 5, minDocs: 2, everySeconds: 0 }, assign: { minSimilarity: 0.3 } } });
  await f.p.handleBatch([post('early', 'alpha before any model')]);
  assert.equal(f.sink.values<{ topic_id: number }>('assignments')[0]!.topic_id, -1, 'no model yet: outlier');
  const { parseModelMessage } = await import('../../src/stream/model/modelMessage.js');
  assert.equal(f.p.adoptModel(parseModelMessage(leader.sink.messages.models[0]!.value)), true);
  assert.equal(f.p.adoptModel(parseModelMessage(leader.sink.messages.models[0]!.value)), false, 'same version again is ignored');
  await f.p.handleBatch(docs(40, 1000));
  await f.p.idle();
  assert.equal(f.refitter.clusters, 0, 'followers never refit');
  const leaderIdOf = new Map(leader.p.registry.active().map((t) => [t.words[0]!.word, t.id]));
  const got = f.sink.values<{ doc_id: string; topic_id: number }>('assignments').slice(1);
  assert.equal(got.length, 40);
  for (const a of got) {
    const theme = THEMES[(Number(a.doc_id.slice(1)) - 1000 + 1000) % 4]!;
    assert.equal(a.topic_id, leaderIdOf.get(theme), `${a.doc_id} (${theme})`);
  }
  assert.equal(f.p.modelVersion, 1);
});

test('documents that arrive during a refit are moved off topics that the refit retired', async () => {
  const { p, sink, refitter } = setup();
  const docs = (n: number, from: number) => Array.from({ length: n }, (_, i) => post(`r${from + i}`, `${THEMES[(from + i) % 4]} item ${from + i}`));
  await p.handleBatch(docs(40, 0));
  await p.idle();
  const deltaId = p.registry.active().find((t) => t.words[0]?.word === 'delta')!.id;
  // the next refit finds no "delta" cluster any more (all outliers), and is slow
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const normal = refitter.cluster.bind(refitter);
  refitter.cluster = async (job) => {
    const r = await normal(job);
    for (let i = 0; i < job.n; i++) if (r.labels[i] === 3) r.labels[i] = -1;
    await gate;
    return r;
  };
  await p.handleBatch(docs(40, 100)); // triggers the refit (everyDocs 40)
  // several of them: their stale votes for delta must not put each other back into it
  const late = ['late0', 'late1', 'late2', 'late3', 'late4', 'late5'];
  await p.handleBatch(late.map((id) => post(id, `delta ${id} arrives during the refit`)));
  for (const id of late) assert.equal(p.window.get(id)!.topic, deltaId, `${id} assigned by its neighbours to delta while the refit runs`);
  release();
  await p.idle();
  assert.equal(p.registry.get(deltaId)!.status, 'retired');
  for (const id of late) {
    assert.equal(p.window.get(id)!.topic, -1, id);
    const last = sink.values<{ doc_id: string; topic_id: number; method: string }>('assignments').filter((a) => a.doc_id === id).at(-1)!;
    assert.deepEqual([last.topic_id, last.method], [-1, 'refit'], id);
  }
  for (const d of p.window.iterate()) assert.ok(d.topic === -1 || p.registry.get(d.topic)!.status === 'active', `${d.id} in topic ${d.topic}`);
});

test('a cluster whose documents all left the window while its refit ran is no topic: never born, or died', async () => {
  // a small window: the documents a refit saw are gone by the time it is applied
  const { p, sink, refitter } = setup({ stream: { window: { maxDocs: 60 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 }, assign: { k: 5, minSimilarity: 0.3 } } });
  const docs = (n: number, from: number, themes: string[]) => Array.from({ length: n }, (_, i) => post(`v${from + i}`, `${themes[(from + i) % themes.length]} item ${from + i}`));
  await p.handleBatch(docs(40, 0, THEMES));
  await p.idle();
  const idOf = (word: string) => p.registry.active().find((t) => t.words[0]?.word === word)!.id;
  const deltaId = idOf('delta');
  const noDelta = THEMES.slice(0, 3);
  await p.handleBatch(docs(20, 100, noDelta));
  // refit 2 sees the last 20 of the first batch (its only delta posts) and 40 newer ones; it puts the old gamma posts in a cluster of their own (a split)
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const normal = refitter.cluster.bind(refitter);
  refitter.cluster = async (job) => {
    const r = await normal(job);
    for (let i = 0; i < 20; i++) if (r.labels[i] === 2) r.labels[i] = 7;
    await gate;
    return r;
  };
  await p.handleBatch(docs(20, 200, noDelta)); // triggers refit 2
  await p.handleBatch(docs(20, 300, noDelta)); // while it runs: the window moves past everything of the first batch
  release();
  await p.idle();
  assert.equal(p.modelVersion, 2);
  const events = sink.values<{ type: string; topic_id: number; related: number[]; model_version: number; details: Record<string, number> }>('events').filter((e) => e.model_version === 2);
  assert.deepEqual(events.map((e) => [e.type, e.topic_id]), [['died', deltaId]], 'delta died with its last documents; the split that only held old posts was never born');
  assert.equal(events[0]!.details.left_window, 1);
  assert.equal(p.registry.get(deltaId)!.status, 'retired');
  const updates = sink.values<{ topic_id: number; status: string; size: number; model_version: number }>('updates').filter((u) => u.model_version === 2);
  for (const u of updates) {
    if (u.status === 'active' && u.topic_id !== -1) assert.ok(u.size > 0, `active topic ${u.topic_id} has documents`);
  }
  assert.deepEqual(updates.filter((u) => u.status !== 'active').map((u) => u.topic_id), [deltaId]);
  const model = sink.values<{ model_version: number; topics: Array<{ id: number; size: number }> }>('models').at(-1)!;
  assert.equal(model.model_version, 2);
  assert.deepEqual(model.topics.map((t) => t.id).sort((a, b) => a - b), [idOf('alpha'), idOf('beta'), idOf('gamma')].sort((a, b) => a - b));
  assert.ok(model.topics.every((t) => t.size > 0));
  for (const d of p.window.iterate()) assert.ok(d.topic === -1 || p.registry.get(d.topic)!.status === 'active', `${d.id} in topic ${d.topic}`);
});
