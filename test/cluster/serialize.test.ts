import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMatrix } from '../../src/core/types.js';
import { HdbscanClusterer } from '../../src/cluster/hdbscanClusterer.js';
import { blobs, seededRandom } from './testData.js';

function probes(n: number, seed: number) {
  const rand = seededRandom(seed);
  return createMatrix(n, 2, Float32Array.from({ length: 2 * n }, () => rand() * 60 - 20));
}

describe('HdbscanClusterer', () => {
  it('fits as a Clusterer, predicts, and survives a JSON round trip unchanged', async () => {
    const { x } = blobs(3, 50, 15, 21);
    const c = new HdbscanClusterer({ minClusterSize: 8 });
    assert.equal(c.isFitted, false);
    assert.throws(() => c.model, /not fitted/);
    const res = await c.fit(x);
    assert.equal(res.labels.length, x.rows);
    assert.ok(res.probabilities instanceof Float32Array);
    const p = probes(200, 4);
    const before = c.predict(p);
    // the training points predict to their own cluster (core points at least)
    const self = c.predict(x);
    let same = 0;
    for (let i = 0; i < x.rows; i++) if (res.labels[i] >= 0 && self.labels[i] === res.labels[i]) same++;
    assert.ok(same >= 0.95 * res.labels.filter((l) => l >= 0).length);

    const json = JSON.stringify(c.toJSON());
    const restored = HdbscanClusterer.fromJSON(JSON.parse(json));
    assert.deepEqual(restored.model.labels, c.model.labels);
    assert.deepEqual(restored.model.probabilities, c.model.probabilities);
    assert.deepEqual(restored.model.condensedTree, c.model.condensedTree);
    assert.deepEqual(restored.model.options, c.model.options);
    const after = restored.predict(p);
    assert.deepEqual(after.labels, before.labels);
    assert.deepEqual(after.probabilities, before.probabilities);
  });

  it('keeps infinite lambdas (duplicate points) through JSON', async () => {
    const data = new Float32Array(2 * 30);
    for (let i = 15; i < 30; i++) data.set([10, 10], 2 * i); // 15 copies of (10,10), 15 of (0,0)
    const c = new HdbscanClusterer({ minClusterSize: 5 });
    await c.fit(createMatrix(30, 2, data));
    assert.ok(c.model.condensedTree.lambda.some((l) => l === Infinity));
    const r = HdbscanClusterer.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
    assert.deepEqual(r.model.condensedTree.lambda, c.model.condensedTree.lambda);
  });

  it('rejects options at construction and broken snapshots with a clear error', async () => {
    assert.throws(() => new HdbscanClusterer({ minClusterSize: 0 }), /minClusterSize/);
    const { x } = blobs(2, 20, 0, 2);
    const c = new HdbscanClusterer({ minClusterSize: 5 });
    await c.fit(x);
    const s = c.toJSON();
    assert.throws(() => HdbscanClusterer.fromJSON({ ...s, format: 'x' as never }), /not an HDBSCAN model/);
    assert.throws(() => HdbscanClusterer.fromJSON({ ...s, version: 2 as never }), /version/);
    assert.throws(() => HdbscanClusterer.fromJSON({ ...s, labels: s.labels.slice(0, 16) }), /inconsistent/);
    assert.throws(() => HdbscanClusterer.fromJSON({ ...s, data: 'AAA' }), /data/);
  });
});
