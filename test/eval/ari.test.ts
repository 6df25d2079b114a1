import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex } from '../../src/eval/ari.js';

describe('adjustedRandIndex', () => {
  it('matches scikit-learn adjusted_rand_score', () => {
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
    close(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 0.5714285714285714);
    close(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 0.24242424242424243);
    close(adjustedRandIndex([-1, -1, 0, 0, 1, 1, 2], [3, 3, 0, 0, 0, 1, 1]), 0.391304347826087);
  });
  it('is 1 for the same partition under renaming, and for trivial partitions', () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, -1, -1, 7]), 1);
    assert.equal(adjustedRandIndex([1, 1, 1], [2, 2, 2]), 1);
    assert.equal(adjustedRandIndex([7], [3]), 1);
  });
  it('rejects labelings of different lengths', () => {
    assert.throws(() => adjustedRandIndex([0, 1], [0]), /labelsTrue has 2 entries, labelsPred 1/);
  });
});
