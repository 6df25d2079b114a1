// The emerging-topics monitor's parts (src/stream/trend/): signals from a window, forming groups
// among candidates, and the events the monitor says once. Synthetic unit vectors: this code only
// compares cosine similarities and counts documents; what the vectors mean is tested end to end in
// test/integration/emergingKafka.test.ts with the real model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import { classify, topicSignals, type SignalOptions } from '../../src/stream/trend/topicSignals.js';
import { FormingGroups } from '../../src/stream/trend/formingGroups.js';
import { TrendMonitor } from '../../src/stream/trend/trendMonitor.js';
import { WindowStore } from '../../src/stream/window/windowStore.js';
import { TopicRegistry } from '../../src/stream/topicRegistry.js';

const O: SignalOptions = { fastHalfLifeDocs: 50, slowHalfLifeDocs: 500, minDocs: 5, weakGrowth: 2, strongGrowth: 3, strongMinDocs: 20, fadingGrowth: 0.3 };
const DIM = 8;

/** A unit vector near axis `axis` (a small tilt towards the next axis). */
function unit(axis: number, tilt = 0): Float32Array {
  const v = new Float32Array(DIM);
  v[axis % DIM] = 1;
  v[(axis + 1) % DIM] = tilt;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

test('a topic as popular now as before is stable; one that takes most of the newest documents is strong; one that stopped is fading', () => {
  const docs: Array<{ seq: number; topic: number }> = [];
  for (let seq = 0; seq < 1000; seq++) {
    // topic 0: 30% throughout; topic 1: 30% until document 700, then none; topic 2: 40% of the last 100 only
    const r = seq % 10;
    const topic = r < 3 ? 0 : r < 6 && seq < 700 ? 1 : r >= 3 && r < 7 && seq >= 900 ? 2 : -1;
    docs.push({ seq, topic });
  }
  const s = new Map(topicSignals(docs, 999, O).map((x) => [x.topic, x]));
  assert.equal(s.get(0)!.signal, 'stable');
  assert.ok(Math.abs(s.get(0)!.growth - 1) < 0.1, `steady topic growth ${s.get(0)!.growth}`);
  assert.equal(s.get(2)!.signal, 'strong', JSON.stringify(s.get(2)));
  assert.equal(s.get(1)!.signal, 'fading', JSON.stringify(s.get(1)));
  assert.ok(!s.has(-1), 'outliers have no signal');
});

test('a rise below the document floors is weak or noise, not strong', () => {
  assert.equal(classify({ popularity: 10, share: 0.1, baseline: 0.02, growth: 5 }, 12, O), 'weak');
  assert.equal(classify({ popularity: 3, share: 0.05, baseline: 0.01, growth: 5 }, 4, O), 'noise');
  assert.equal(classify({ popularity: 30, share: 0.3, baseline: 0.1, growth: 3 }, 50, O), 'strong');
});

test('forming groups: dense candidates and their neighbours form a group that keeps its id; sparse ones do not; a refit drops what it saw', () => {
  const g = new FormingGroups(DIM, { similarity: 0.9, minNeighbours: 3, minDocs: 6, capacity: 50 });
  let seq = 0;
  // scattered candidates: each on its own axis pair, none similar enough to another
  for (let i = 0; i < DIM; i++) g.add(seq++, `s${i}`, 'scattered', unit(i, 0.9));
  assert.deepEqual(g.groups(), []);
  for (let i = 0; i < 5; i++) g.add(seq++, `a${i}`, 'alpha', unit(3, i * 0.01));
  assert.deepEqual(g.groups(), [], 'five similar candidates: fewer than minDocs');
  g.add(seq++, 'a5', 'alpha', unit(3, 0.05));
  const [first] = g.groups();
  assert.ok(first, 'six similar candidates form a group');
  assert.deepEqual(first.slots.map((s) => g.doc(s).id).sort(), ['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
  for (let i = 6; i < 9; i++) g.add(seq++, `a${i}`, 'alpha', unit(3, i * 0.01));
  const again = g.groups();
  assert.equal(again.length, 1);
  assert.equal(again[0]!.id, first.id, 'the grown group keeps its id');
  assert.equal(again[0]!.slots.length, 9);
  g.dropUpTo(seq - 4);
  assert.deepEqual(g.groups(), [], 'after a refit saw most of them, what is left is too small');
  assert.equal(g.size, 3);
});

test('the capacity is a ring: the oldest candidate leaves, with its edges', () => {
  const g = new FormingGroups(DIM, { similarity: 0.9, minNeighbours: 1, minDocs: 2, capacity: 4 });
  for (let i = 0; i < 6; i++) g.add(i, `b${i}`, 'beta', unit(5, i * 0.01));
  assert.equal(g.size, 4);
  const [grp] = g.groups();
  assert.deepEqual(grp!.slots.map((s) => g.doc(s).id), ['b2', 'b3', 'b4', 'b5']);
});

test('the monitor: a burst of new documents (far from all the window held) is one emerging event (weak, then strong with a refit asked for), said once; nothing before the first model', () => {
  const config = loadConfig({ env: {}, flags: { stream: { trend: { fastHalfLifeDocs: 10, forming: { horizonDocs: 40, novelSimilarity: 0.5, similarity: 0.9, minNeighbours: 3, minDocs: 8, refitDocs: 15 }, sampleDocs: 3 } } } });
  const window = new WindowStore(1000, DIM);
  const registry = new TopicRegistry();
  registry.ensure(0, 1);
  const m = new TrendMonitor(config, DIM);
  let n = 0;
  const add = (topic: number, vec: Float32Array, text: string) => window.add({ id: `d${n}`, text }, vec, topic, 1, 0, String(n++), 0);
  // brute force over the window (the service asks its HNSW index)
  const nearest = (v: Float32Array, k: number) =>
    [...window.iterate()]
      .map((doc) => ({ doc, similarity: window.vectorOfSeq(doc.seq)!.reduce((s, x, i) => s + x * v[i]!, 0) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  const update = (modelVersion = 1) => m.update({ window, registry, modelVersion, nearest });
  for (let i = 0; i < 20; i++) add(-1, unit(6, i * 0.005), 'an early subject');
  assert.deepEqual(update(0).events, [], 'no model yet: no forming topics');
  assert.equal(m.state().forming.length, 0);
  for (let i = 0; i < 300; i++) add(0, unit(0, (i % 7) * 0.01), 'the usual subject');
  m.refitApplied(window.lastSeq); // a refit made topic 0 of them
  assert.deepEqual(update().events.filter((e) => e.forming_id !== undefined), []);
  const seen: string[] = [];
  let refit = false;
  for (let i = 0; i < 20; i++) {
    add(-1, unit(4, i * 0.005), `hockey game tonight number ${i}`);
    add(0, unit(0), 'the usual subject');
    const r = update();
    refit ||= r.refit;
    for (const e of r.events.filter((x) => x.forming_id !== undefined)) seen.push(`${e.type}:${e.signal}:${e.forming_id}`);
  }
  assert.deepEqual(seen, ['emerging:weak:1', 'emerging:strong:1'], 'one forming topic, said weak then strong, once each');
  assert.ok(refit, 'a forming topic of refitDocs asks for a refit');
  const state = m.state();
  assert.equal(state.forming.length, 1);
  assert.ok(state.forming[0]!.words.includes('hockey'), `words ${state.forming[0]!.words.join(', ')}`);
  assert.equal(state.forming[0]!.sample_docs.length, 3);
  m.refitApplied(window.lastSeq);
  assert.deepEqual(update().events, [], 'after the refit saw them, the forming topic is gone without an event');
  assert.equal(m.state().forming.length, 0);
});
