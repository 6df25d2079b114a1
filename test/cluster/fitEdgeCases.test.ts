/** Degenerate inputs; expected outputs are what the Python package gives for the same inputs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMatrix } from '../../src/core/types.js';
import { fitHdbscan } from '../../src/cluster/hdbscan.js';
import { approximatePredict } from '../../src/cluster/predict.js';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { blobs, seededRandom } from './testData.js';

describe('fitHdbscan edge cases', () => {
  for (const n of [0, 1, 2, 8]) {
    it(`${n} points (fewer than minClusterSize): all noise`, () => {
      const rand = seededRandom(n);
      const x = createMatrix(n, 2, Float32Array.from({ length: 2 * n }, rand));
      const m = fitHdbscan(x, { minClusterSize: 10 });
      assert.deepEqual(Array.from(m.labels), new Array(n).fill(-1));
      assert.ok(m.probabilities.every((p) => p === 0));
      const pred = approximatePredict(m, createMatrix(1, 2, Float32Array.from([0.5, 0.5])));
      assert.equal(pred.labels[0], -1);
    });
  }

  it('identical points: noise, or one cluster with allowSingleCluster (as the package)', () => {
    const x = createMatrix(20, 2, new Float32Array(40).fill(1));
    const a = fitHdbscan(x, { minClusterSize: 5 });
    assert.ok(a.labels.every((l) => l === -1));
    const b = fitHdbscan(x, { minClusterSize: 5, allowSingleCluster: true });
    assert.ok(b.labels.every((l) => l === 0));
    assert.ok(b.probabilities.every((p) => p === 1));
    assert.ok(b.outlierScores.every((s) => s === 0));
  });

  it('rows with NaN or Infinity are noise; the others cluster as without them', () => {
    const { x } = blobs(2, 30, 0, 5);
    const clean = fitHdbscan(x, { minClusterSize: 5 });
    const dirty = createMatrix(x.rows + 2, 2, new Float32Array((x.rows + 2) * 2));
    dirty.data.set(x.data.subarray(0, 6), 0); // rows 0..2
    dirty.data.set([NaN, 1], 6); // row 3
    dirty.data.set(x.data.subarray(6), 8); // rows 4..
    dirty.data.set([0, Infinity], dirty.data.length - 2); // last row
    const m = fitHdbscan(dirty, { minClusterSize: 5 });
    assert.equal(m.labels[3], -1);
    assert.equal(m.labels[m.labels.length - 1], -1);
    assert.equal(m.probabilities[3], 0);
    const kept = [...Array.from(m.labels.subarray(0, 3)), ...Array.from(m.labels.subarray(4, m.labels.length - 1))];
    assert.equal(adjustedRandIndex(kept, clean.labels), 1);
    const pred = approximatePredict(m, createMatrix(1, 2, Float32Array.from([NaN, 0])));
    assert.equal(pred.labels[0], -1);
  });

  it('finds well separated blobs, leaves uniform noise out', () => {
    const { x, truth } = blobs(4, 60, 20, 9);
    const m = fitHdbscan(x);
    assert.equal(m.selected.length, 4);
    let agree = 0;
    for (let i = 0; i < 240; i++) if (m.labels[i] >= 0) agree++;
    assert.ok(agree >= 228, `${agree} of 240 blob points clustered`);
    const inBlobs = Array.from(m.labels.subarray(0, 240));
    assert.ok(adjustedRandIndex(inBlobs, truth.subarray(0, 240)) > 0.9);
  });

  it('does not keep a reference to the caller\'s buffer', () => {
    const { x } = blobs(2, 20, 0, 1);
    const m = fitHdbscan(x, { minClusterSize: 5 });
    const before = Float32Array.from(m.data);
    x.data.fill(0);
    assert.deepEqual(m.data, before);
  });

  it('rejects bad options and mismatched prediction input', () => {
    const x = createMatrix(3, 2, new Float32Array(6));
    assert.throws(() => fitHdbscan(x, { minClusterSize: 1 }), /minClusterSize/);
    assert.throws(() => fitHdbscan(x, { minSamples: 0 }), /minSamples/);
    assert.throws(() => fitHdbscan(x, { clusterSelectionMethod: 'foo' as never }), /clusterSelectionMethod/);
    assert.throws(() => fitHdbscan(x, { clusterSelectionEpsilon: -1 }), /Epsilon/i);
    assert.throws(() => fitHdbscan(x, { metric: 'cosine' as never }), /euclidean/);
    const m = fitHdbscan(x);
    assert.throws(() => approximatePredict(m, createMatrix(1, 3, new Float32Array(3))), /dimensions/);
  });
});
