/** Long-text windows, batch planning and pooling: pure functions, no model. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toWindows, type WindowOptions } from '../../src/embed/text/windows.js';
import { batchSizeFor, batchTensors, planBatches, textChunks, type PlannedWindow } from '../../src/embed/worker/batchPlan.js';
import { addScaledAt, meanPoolNormalize, normalizeAt } from '../../src/embed/worker/pooling.js';

const CLS = 101;
const SEP = 102;
const opts = (o: Partial<WindowOptions> = {}): WindowOptions => ({ maxTokens: 10, mode: 'chunk', maxWindows: 8, clsId: CLS, sepId: SEP, ...o });
/** [CLS] 1..n [SEP] */
const encoded = (n: number) => [CLS, ...Array.from({ length: n }, (_, i) => i + 1), SEP];

test('a text that fits is one window, unchanged', () => {
  const w = toWindows(encoded(8), opts());
  assert.equal(w.length, 1);
  assert.deepEqual(Array.from(w[0]!.ids), encoded(8));
  assert.equal(w[0]!.weight, 8);
});

test('the empty text is [CLS][SEP], weight 1', () => {
  const w = toWindows([CLS, SEP], opts());
  assert.deepEqual(Array.from(w[0]!.ids), [CLS, SEP]);
  assert.equal(w[0]!.weight, 1);
});

test('chunk mode: fewest windows, near-equal sizes, every token once, each wrapped', () => {
  // 17 content tokens, room 8 per window -> 3 windows of 6, 6, 5 (not 8, 8, 1)
  const w = toWindows(encoded(17), opts());
  assert.deepEqual(w.map((x) => x.weight), [6, 6, 5]);
  for (const x of w) {
    assert.equal(x.ids[0], CLS);
    assert.equal(x.ids[x.ids.length - 1], SEP);
    assert.ok(x.ids.length <= 10);
  }
  const content = w.flatMap((x) => Array.from(x.ids.subarray(1, -1)));
  assert.deepEqual(content, Array.from({ length: 17 }, (_, i) => i + 1));
});

test('chunk mode caps the windows per text', () => {
  const w = toWindows(encoded(100), opts({ maxWindows: 2 }));
  assert.equal(w.length, 2);
  assert.deepEqual(w.map((x) => x.weight), [8, 8]);
  assert.equal(w[1]!.ids[8], 16); // tokens 1..16 kept, the rest dropped
});

test('truncate mode keeps the first maxTokens-2 content tokens', () => {
  const w = toWindows(encoded(17), opts({ mode: 'truncate' }));
  assert.equal(w.length, 1);
  assert.deepEqual(Array.from(w[0]!.ids), [CLS, 1, 2, 3, 4, 5, 6, 7, 8, SEP]);
});

test('toWindows rejects ids without [CLS]/[SEP]', () => {
  assert.throws(() => toWindows([5, 6, 7], opts()), /CLS/);
});

test('planBatches sorts by length and pads each batch to its longest window only', () => {
  const mk = (text: number, len: number): PlannedWindow => ({ text, weight: len - 2, ids: Int32Array.from({ length: len }, (_, i) => i + 1) });
  const ws = [mk(0, 3), mk(1, 9), mk(2, 5), mk(3, 8), mk(4, 2)];
  const batches = planBatches(ws, 2);
  assert.deepEqual(batches.map((b) => b.windows.map((w) => w.text)), [[1, 3], [2, 0], [4]]);
  assert.deepEqual(batches.map((b) => b.seq), [9, 5, 2]);
  const t = batchTensors(batches[1]!);
  assert.deepEqual(Array.from(t.lengths), [5, 3]);
  assert.deepEqual(Array.from(t.attentionMask, Number), [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(t.inputIds, Number), [1, 2, 3, 4, 5, 1, 2, 3, 0, 0]);
  assert.deepEqual(Array.from(t.tokenTypeIds, Number), new Array(10).fill(0));
});

test('planBatches caps a batch at batchTokens padded tokens: long windows go fewer at a time, every window once, at least one per batch', () => {
  const mk = (text: number, len: number): PlannedWindow => ({ text, weight: len - 2, ids: new Int32Array(len) });
  const lens = [256, 256, 256, 200, 130, 120, 64, 60, 40, 40, 40, 40, 40, 40, 40, 40, 40, 30, 600];
  const batches = planBatches(lens.map((l, i) => mk(i, l)), 8, 512);
  // 600 alone (over the cap, still one batch), 256+256, 256+200, 130+120+64 (3 x 130 <= 512), 60..40 (8 x 60 = 480), the rest
  assert.deepEqual(batches.map((b) => b.windows.map((w) => w.ids.length)), [[600], [256, 256], [256, 200], [130, 120, 64], [60, 40, 40, 40, 40, 40, 40, 40], [40, 40, 30]]);
  for (const b of batches) assert.ok(b.windows.length === 1 || b.windows.length * b.seq <= 512);
  assert.deepEqual(batches.flatMap((b) => b.windows.map((w) => w.text)).sort((a, b) => a - b), lens.map((_, i) => i));
  // no cap: batches of 8 as before
  assert.deepEqual(planBatches(lens.map((l, i) => mk(i, l)), 8).map((b) => b.windows.length), [8, 8, 3]);
});

test('textChunks: workers x batchSize texts first, then 64 batches per worker, covering every text once', () => {
  assert.deepEqual([...textChunks(10, 8, 2)], [[0, 10]]);
  assert.deepEqual([...textChunks(2000, 8, 2)], [[0, 16], [16, 1040], [1040, 2000]]);
  assert.deepEqual([...textChunks(0, 8, 2)], []);
});

test('mean pooling ignores padding and normalises', () => {
  // batch 2, seq 3, dim 2; row 1 has one real token and garbage in its padding
  const hidden = Float32Array.of(1, 0, 3, 0, 9, 9, 0, 2, 50, 50, 50, 50);
  const out = new Float32Array(4);
  meanPoolNormalize(hidden, Int32Array.of(2, 1), 3, 2, out);
  assert.deepEqual(Array.from(out), [1, 0, 0, 1]);
});

test('normalizeAt leaves a zero vector alone; addScaledAt accumulates', () => {
  const v = Float32Array.of(0, 0, 3, 4);
  normalizeAt(v, 0, 2);
  normalizeAt(v, 2, 2);
  assert.deepEqual(Array.from(v), [0, 0, 0.6000000238418579, 0.800000011920929]);
  const acc = new Float32Array(2);
  addScaledAt(acc, 0, v, 2, 0.5, 2);
  assert.deepEqual(Array.from(acc), [0.30000001192092896, 0.4000000059604645]);
});

test('batchSizeFor shares a small chunk evenly among the workers and keeps batchSize for large ones', () => {
  assert.equal(batchSizeFor(10, 8, 2), 5);
  assert.equal(batchSizeFor(1, 8, 2), 1);
  assert.equal(batchSizeFor(15, 8, 2), 8);
  assert.equal(batchSizeFor(64, 8, 2), 8);
  assert.equal(batchSizeFor(7, 8, 1), 7);
});
