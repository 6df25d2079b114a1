import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/paths.js';
import { createMatrix } from '../../src/core/types.js';
import { trustworthiness } from '../../src/reduce/quality/trustworthiness.js';
import { knnAccuracy } from '../../src/reduce/quality/knnAccuracy.js';
import { Mulberry32 } from '../../src/core/random.js';

interface Ref {
  n: number;
  d: number;
  x: number[];
  labels: number[];
  trustworthiness: { y2: number[]; y5: number[]; y2_k5_cosine: number; y5_k10_cosine: number; y5_k10_euclidean: number };
}
const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'reduce', 'umap_reference.json'), 'utf8')) as Ref;
const x = createMatrix(ref.n, ref.d, Float32Array.from(ref.x));

test('trustworthiness matches scikit-learn', () => {
  // The fixture has three identical rows (1, 5, 9): their order among tied neighbours is arbitrary
  // in both implementations, which moves the value in the 4th decimal.
  const y2 = createMatrix(ref.n, 2, Float32Array.from(ref.trustworthiness.y2));
  const y5 = createMatrix(ref.n, 5, Float32Array.from(ref.trustworthiness.y5));
  assert.ok(Math.abs(trustworthiness(x, y2, 5, 'cosine') - ref.trustworthiness.y2_k5_cosine) < 1e-3);
  assert.ok(Math.abs(trustworthiness(x, y5, 10, 'cosine') - ref.trustworthiness.y5_k10_cosine) < 1e-3);
  assert.ok(Math.abs(trustworthiness(x, y5, 10, 'euclidean') - ref.trustworthiness.y5_k10_euclidean) < 1e-3);
});

test('trustworthiness is 1 for an isometric copy and low for noise', () => {
  const e = createMatrix(ref.n, ref.d, x.data.map((v) => v * 3));
  assert.equal(trustworthiness(x, e, 10, 'euclidean'), 1);
  const rng = new Mulberry32(1);
  const noise = createMatrix(ref.n, 5, new Float32Array(ref.n * 5).map(() => rng.next()));
  assert.ok(trustworthiness(x, noise, 10) < 0.7);
  assert.throws(() => trustworthiness(x, e, 100), /k = 100/);
});

test('kNN accuracy: 1 for separated classes, chance for shuffled labels', () => {
  const labels = Int32Array.from(ref.labels);
  assert.ok(knnAccuracy(x, labels, 5, 'cosine') > 0.9);
  const rng = new Mulberry32(3);
  const shuffled = labels.map(() => rng.nextInt(4));
  assert.ok(knnAccuracy(x, shuffled, 5, 'cosine') < 0.5);
});
