/** The report's Ward linkage and dendrogram layout, and its topic similarities. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dendrogram, wardLinkage } from '../../src/report/hierarchy.js';
import { cosineMatrix, wordVectors } from '../../src/report/similarity.js';

function lineDistances(xs: readonly number[]): Float64Array {
  const n = xs.length;
  return Float64Array.from({ length: n * n }, (_, k) => Math.abs(xs[Math.floor(k / n)]! - xs[k % n]!));
}

test('Ward linkage matches scipy on points of a line (height = sqrt(2|A||B|/(|A|+|B|)) · centroid distance)', () => {
  const merges = wardLinkage(lineDistances([0, 1, 5]), 3);
  assert.deepEqual(merges.map((m) => [m.a, m.b, m.size]), [[0, 1, 2], [3, 2, 3]]);
  assert.equal(merges[0]!.height, 1);
  assert.ok(Math.abs(merges[1]!.height - Math.sqrt(4 / 3) * 4.5) < 1e-12);
});

test('dendrogram: every leaf once, children next to each other, one link per merge', () => {
  const xs = [0, 10, 1, 11, 30];
  const d = dendrogram(wardLinkage(lineDistances(xs), xs.length), xs.length);
  assert.deepEqual([...d.order].sort(), [0, 1, 2, 3, 4]);
  assert.equal(Math.abs(d.order.indexOf(0) - d.order.indexOf(2)), 1);
  assert.equal(Math.abs(d.order.indexOf(1) - d.order.indexOf(3)), 1);
  assert.equal(d.links.length, 4);
  assert.ok(d.links.every((l) => l.h >= l.ha && l.h >= l.hb), 'a merge is above its children');
});

test('word vectors: topics sharing words are similar, disjoint ones are not', () => {
  const v = wordVectors([
    { words: [{ word: 'a', score: 2 }, { word: 'b', score: 1 }] },
    { words: [{ word: 'a', score: 1 }, { word: 'b', score: 1 }] },
    { words: [{ word: 'c', score: 1 }] },
  ]);
  const s = cosineMatrix(v);
  assert.ok(Math.abs(s[0]! - 1) < 1e-12);
  assert.ok(s[1]! > 0.9);
  assert.equal(s[2], 0);
});
