import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowStore, docBytes } from '../../src/stream/window/windowStore.js';

const vec = (x: number) => Float32Array.from([x, x + 1, x + 2]);

test('the window keeps the newest documents, evicts the oldest, and never counts an id twice', () => {
  const w = new WindowStore(3, 3);
  const evicted: string[] = [];
  for (const i of [0, 1, 2, 3, 4]) {
    const r = w.add({ id: `d${i}`, text: `t${i}`, ts: 1000 + i }, vec(i), i % 2, 0.5, 0, String(i), 0);
    for (const e of r.evicted) evicted.push(e.id);
  }
  assert.deepEqual(evicted, ['d0', 'd1']);
  assert.equal(w.size, 3);
  assert.deepEqual([...w.iterate()].map((d) => d.id), ['d2', 'd3', 'd4']);
  assert.deepEqual(w.add({ id: 'd3', text: 'again' }, vec(9), 0, 1, 0, '9', 0), { evicted: [] });
  assert.equal(w.size, 3);
  const v = w.view();
  assert.deepEqual(Array.from(v.embeddings.subarray(0, 3)), [2, 3, 4]);
  assert.deepEqual(Array.from(w.vectorOfSeq(4)!), [4, 5, 6]);
  assert.equal(w.docOfSeq(0), undefined);
  assert.deepEqual(w.bounds(), { start: 1002, end: 1004 });
});

test('time-based eviction removes documents older than the limit', () => {
  const w = new WindowStore(10, 3);
  for (const i of [0, 1, 2, 3]) w.add({ id: `d${i}`, text: 't', ts: i * 1000 }, vec(i), 0, 1, 0, String(i), 0);
  assert.deepEqual(w.evictOlderThan(2000).map((d) => d.id), ['d0', 'd1']);
  assert.equal(w.size, 2);
  assert.equal(w.has('d0'), false);
});

test('the window is bounded by bytes too: a large text pushes out as many old documents as it needs', () => {
  const w = new WindowStore(100, 3, docBytes('d0', 'x'.repeat(1000)) * 3);
  for (const i of [0, 1, 2]) w.add({ id: `d${i}`, text: 'x'.repeat(1000) }, vec(i), 0, 1, 0, String(i), 0);
  assert.equal(w.size, 3);
  const r = w.add({ id: 'big', text: 'y'.repeat(2500) }, vec(3), 0, 1, 0, '3', 0);
  assert.deepEqual(r.evicted.map((d) => d.id), ['d0', 'd1', 'd2']);
  assert.equal(w.size, 1);
  assert.ok(w.bytes <= w.maxBytes || w.size === 1);
  w.add({ id: 'small', text: 'z' }, vec(4), 0, 1, 0, '4', 0);
  assert.deepEqual([...w.iterate()].map((d) => d.id), ['big', 'small']);
});
