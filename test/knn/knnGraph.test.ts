import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMatrix } from '../../src/core/types.js';
import { buildKnnGraph } from '../../src/knn/buildKnnGraph.js';
import { hnsw } from '../helpers/hnsw.js';
import { bruteForceKnn } from '../../src/knn/bruteForceKnn.js';
import { knnRecall } from '../../src/knn/recall.js';
import { randomSphere, syntheticClusters } from './synthetic.js';

test('graph has n*k entries, self first at distance 0, sorted, no duplicates', () => {
  const x = randomSphere(500, 32, 7);
  const k = 15;
  const g = buildKnnGraph(x, k, hnsw({ seed: 1 }));
  assert.equal(g.n, 500);
  assert.equal(g.k, k);
  assert.equal(g.indices.length, 500 * k);
  assert.equal(g.distances.length, 500 * k);
  for (let i = 0; i < g.n; i++) {
    assert.equal(g.indices[i * k], i);
    assert.equal(g.distances[i * k], 0);
    const seen = new Set<number>();
    for (let j = 0; j < k; j++) {
      const v = g.indices[i * k + j]!;
      assert.ok(v >= 0 && v < g.n);
      assert.ok(!seen.has(v), `row ${i} lists ${v} twice`);
      seen.add(v);
      const d = g.distances[i * k + j]!;
      assert.ok(d >= 0 && d <= 2);
      if (j > 0) assert.ok(d >= g.distances[i * k + j - 1]!, `row ${i} not sorted`);
    }
  }
});

test('recall against brute force >= 0.95 at default settings (2000 x 384)', () => {
  // uniform directions are the hardest input for HNSW; clustered data is easier
  const hard = randomSphere(2000, 384, 11);
  const rHard = knnRecall(buildKnnGraph(hard, 15, hnsw()), bruteForceKnn(hard, 15));
  const easy = syntheticClusters({ n: 2000, dim: 384, clusters: 10, seed: 2 }).x;
  const rEasy = knnRecall(buildKnnGraph(easy, 15, hnsw()), bruteForceKnn(easy, 15));
  assert.ok(rHard >= 0.95, `uniform-sphere recall ${rHard}`);
  assert.ok(rEasy >= 0.95, `clustered recall ${rEasy}`);
});

test('distances are cosine distances (1 - cos) and agree with brute force', () => {
  const x = randomSphere(300, 16, 3);
  const g = buildKnnGraph(x, 5, hnsw());
  const e = bruteForceKnn(x, 5);
  for (let t = 0; t < g.indices.length; t++) {
    if (g.indices[t] === e.indices[t]) assert.ok(Math.abs(g.distances[t]! - e.distances[t]!) < 1e-5);
  }
});

test('duplicate points: self still first, the twin listed once at distance 0', () => {
  const dim = 8;
  const n = 40;
  const x = createMatrix(n, dim);
  for (let i = 0; i < n; i++) for (let t = 0; t < dim; t++) x.data[i * dim + t] = Math.sin(i * 7.3 + t * 1.7) + (t === i % dim ? 2 : 0);
  // rows 0..9 are copies of row 0: hnsw may put any copy first
  for (let i = 1; i < 10; i++) x.data.copyWithin(i * dim, 0, dim);
  const k = 12;
  const g = buildKnnGraph(x, k, hnsw());
  for (let i = 0; i < 10; i++) {
    assert.equal(g.indices[i * k], i);
    const row = Array.from(g.indices.subarray(i * k, (i + 1) * k));
    assert.equal(new Set(row).size, k);
    const twins = row.slice(1).filter((v) => v < 10);
    assert.equal(twins.length, 9, `row ${i} should list its 9 twins`);
    for (let j = 1; j <= 9; j++) assert.equal(g.distances[i * k + j], 0);
  }
});

test('k = n works (every point is everyone\'s neighbour); k > n throws', () => {
  const x = randomSphere(20, 4, 9);
  const g = buildKnnGraph(x, 20, hnsw());
  for (let i = 0; i < 20; i++) assert.equal(new Set(g.indices.subarray(i * 20, (i + 1) * 20)).size, 20);
  assert.throws(() => buildKnnGraph(x, 21, hnsw()), /at least k points/);
});

test('same seed and input give the same graph', () => {
  const x = randomSphere(400, 24, 4);
  const a = buildKnnGraph(x, 10, hnsw({ seed: 5 }));
  const b = buildKnnGraph(x, 10, hnsw({ seed: 5 }));
  assert.deepEqual(a.indices, b.indices);
  assert.deepEqual(a.distances, b.distances);
});
