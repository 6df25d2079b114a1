import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HnswIndex } from '../../src/knn/hnswIndex.js';
import { hnsw } from '../helpers/hnsw.js';
import { KnnAssigner } from '../../src/stream/assign/knnAssigner.js';

// 2-d unit vectors at an angle: the assigner does not care what they mean
const at = (deg: number) => Float32Array.from([Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]);

function build(points: Array<[number, number]>) {
  const idx = new HnswIndex(2, 64, hnsw({ seed: 1 }));
  const topic = new Map<number, number>();
  points.forEach(([deg, t], i) => {
    idx.add(i, at(deg));
    topic.set(i, t);
  });
  return { idx, topic };
}

test('neighbours vote by similarity; outlier neighbours do not win by number', () => {
  // around 0°: two documents of topic 3 and three outliers; far away: topic 7
  const { idx, topic } = build([[0, 3], [2, 3], [1, -1], [3, -1], [-1, -1], [90, 7], [92, 7]]);
  const a = new KnnAssigner(idx, (s) => topic.get(s), 5, 0.5, 0.2);
  const r = a.assign(at(1));
  assert.equal(r.topic, 3);
  assert.ok(r.probability > 0.35 && r.probability < 0.45, `share of 2 of 5 similar votes: ${r.probability}`);
  assert.equal(a.assign(at(91)).topic, 7);
});

test('below the similarity floor, or with too small a share, a post is an outlier', () => {
  const { idx, topic } = build([[0, 3], [1, -1], [2, -1], [3, -1], [4, -1], [5, -1], [6, -1], [7, -1], [8, -1], [9, -1]]);
  const a = new KnnAssigner(idx, (s) => topic.get(s), 10, 0.5, 0.2);
  assert.equal(a.assign(at(4)).topic, -1, '1 of 10 votes is below the 0.2 share');
  const far = a.assign(at(180));
  assert.equal(far.topic, -1);
  assert.ok(far.nearest < 0.5);
  const empty = new KnnAssigner(new HnswIndex(2, 4, hnsw()), () => undefined, 5, 0.5);
  assert.equal(empty.assign(at(0)).topic, -1);
});
