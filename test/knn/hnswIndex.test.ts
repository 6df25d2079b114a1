import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HnswIndex } from '../../src/knn/hnswIndex.js';
import { hnsw } from '../helpers/hnsw.js';
import { randomSphere } from './synthetic.js';

const dim = 16;

function row(data: Float32Array, i: number): Float32Array {
  return data.subarray(i * dim, (i + 1) * dim);
}

test('add, count, query returns self first with similarity ~1', () => {
  const x = randomSphere(200, dim, 1);
  const idx = new HnswIndex(dim, 200, hnsw({ seed: 3 }));
  for (let i = 0; i < 200; i++) idx.add(1000 + i, row(x.data, i));
  assert.equal(idx.count, 200);
  const r = idx.knnQuery(row(x.data, 17), 5);
  assert.equal(r.labels.length, 5);
  assert.equal(r.labels[0], 1017);
  assert.ok(Math.abs(r.similarities[0]! - 1) < 1e-5);
  for (let j = 1; j < 5; j++) assert.ok(r.similarities[j]! <= r.similarities[j - 1]! + 1e-7);
});

test('grows when full', () => {
  const x = randomSphere(100, dim, 2);
  const idx = new HnswIndex(dim, 10, hnsw());
  for (let i = 0; i < 100; i++) idx.add(i, row(x.data, i));
  assert.equal(idx.count, 100);
  assert.ok(idx.capacity >= 100);
  assert.equal(idx.knnQuery(row(x.data, 99), 1).labels[0], 99);
});

test('markDelete hides a point; re-adding revives it; count follows', () => {
  const x = randomSphere(50, dim, 3);
  const idx = new HnswIndex(dim, 50, hnsw());
  idx.addRows(x.data, 50);
  idx.markDelete(7);
  idx.markDelete(7); // idempotent
  assert.equal(idx.count, 49);
  assert.ok(idx.isDeleted(7));
  const r = idx.knnQuery(row(x.data, 7), 49);
  assert.ok(!Array.from(r.labels).includes(7));
  assert.equal(r.labels.length, 49);
  assert.throws(() => idx.markDelete(12345), /not found/i);
  idx.add(7, row(x.data, 7));
  assert.equal(idx.count, 50);
  assert.equal(idx.knnQuery(row(x.data, 7), 1).labels[0], 7);
});

test('k larger than the live count returns what there is; empty index returns nothing', () => {
  const x = randomSphere(5, dim, 4);
  const idx = new HnswIndex(dim, 8, hnsw());
  assert.equal(idx.knnQuery(row(x.data, 0), 3).labels.length, 0);
  idx.addRows(x.data, 5);
  assert.equal(idx.knnQuery(row(x.data, 0), 20).labels.length, 5);
});

test('write and read keep points, deleted labels and efSearch', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hnsw-'));
  try {
    const x = randomSphere(300, dim, 5);
    const idx = new HnswIndex(dim, 300, hnsw({ efSearch: 80 }));
    idx.addRows(x.data, 300);
    idx.markDelete(3);
    const file = path.join(dir, 'index.bin');
    await idx.write(file);
    const back = await HnswIndex.read(file);
    assert.equal(back.dim, dim);
    assert.equal(back.count, 299);
    assert.equal(back.efSearch, 80);
    assert.ok(back.isDeleted(3));
    const a = idx.knnQuery(row(x.data, 42), 10);
    const b = back.knnQuery(row(x.data, 42), 10);
    assert.deepEqual(b.labels, a.labels);
    assert.ok(!Array.from(back.knnQuery(row(x.data, 3), 10).labels).includes(3));
    await assert.rejects(HnswIndex.read(path.join(dir, 'missing.bin')), /metadata/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rejects bad labels and wrong vector lengths', () => {
  const idx = new HnswIndex(dim, 4, hnsw());
  assert.throws(() => idx.add(-1, new Float32Array(dim)), /label/);
  assert.throws(() => idx.add(1.5, new Float32Array(dim)), /label/);
  assert.throws(() => idx.add(1, new Float32Array(dim - 1)), /expected 16/);
});
