import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentPersistence } from '../../src/stream/identity/persistence.js';

const all = () => true;

test('kept share counts retained documents that keep their id; outliers and evicted ones are told apart', () => {
  // before: 0 0 0 1 1 -1 ; after: 0 0 -1 1 2 3
  const r = documentPersistence(Int32Array.from([0, 0, 0, 1, 1, -1]), Int32Array.from([0, 0, -1, 1, 2, 3]), all);
  assert.equal(r.retained, 5, 'the outlier before the refit does not count');
  assert.equal(r.kept, 3 / 5);
  assert.equal(r.outliers, 1 / 5);
  const evicted = documentPersistence(Int32Array.from([0, 0, 1]), Int32Array.from([0, 1, 1]), (i) => i !== 1);
  assert.equal(evicted.retained, 2);
  assert.equal(evicted.kept, 1);
});

test('the ceiling is the best one-to-one relabelling: ids swapped keep nothing but could keep all', () => {
  const r = documentPersistence(Int32Array.from([0, 0, 1, 1, 2]), Int32Array.from([7, 7, 8, 8, 8]), all);
  assert.equal(r.kept, 0);
  // 7 -> 0 keeps 2, 8 -> 1 keeps 2 (8 cannot also be 2: one-to-one)
  assert.equal(r.ceiling, 4 / 5);
  assert.ok(Number.isNaN(documentPersistence(Int32Array.from([-1]), Int32Array.from([0]), all).kept), 'nothing retained: undefined');
});
