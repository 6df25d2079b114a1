import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyHysteresis, type HysteresisInput } from '../../src/stream/identity/hysteresis.js';

/** switchMargin 0 and minNeighbourShareAgainstNew 1: the plain rules (the margin and the hold against new topics have tests of their own) */
const plain = { switchMargin: 0, minNeighbourShareAgainstNew: 1 };
const opts = { minNeighbourShare: 0.3, minCentroidSimilarity: 0.8, ...plain };

/** Documents on a 2-d unit circle at the given angles (degrees); topic centroids likewise. */
function unit(deg: number): [number, number] {
  const r = (deg * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

interface Case {
  angles: number[];
  prev: number[];
  next: number[];
  nbs: number[][];
  centroids?: HysteresisInput['centroids'];
  continuing?: HysteresisInput['continuing'];
  firstNewId?: number;
}

function input(over: Case): HysteresisInput {
  const n = over.angles.length;
  const k = over.nbs[0]!.length;
  const embeddings = new Float32Array(n * 2);
  over.angles.forEach((a, i) => embeddings.set(unit(a), i * 2));
  return {
    prev: Int32Array.from(over.prev),
    next: Int32Array.from(over.next),
    neighbours: Int32Array.from(over.nbs.flat()),
    k,
    embeddings,
    dim: 2,
    centroids: over.centroids ?? new Map([[1, Float32Array.from(unit(0))], [2, Float32Array.from(unit(90))], [9, Float32Array.from(unit(45))]]),
    continuing: over.continuing ?? new Set([1, 2]),
    firstNewId: over.firstNewId ?? 9,
  };
}

test('an outlier of the refit whose neighbours are still in its topic keeps it; one whose neighbours left does not', () => {
  const r = applyHysteresis(
    input({
      angles: [70, 70, 10, 5, 0, 90],
      prev: [1, 1, 1, 1, 1, 2],
      next: [-1, -1, 1, 1, 1, 2],
      // doc 0: itself + 2 of 3 others in topic 1; doc 1: its neighbours are in topic 2 and outliers
      nbs: [[0, 2, 3, 5], [1, 5, 5, 0], [2, 3, 4, 0], [3, 2, 4, 0], [4, 2, 3, 0], [5, 1, 0, 5]],
    }),
    opts,
  );
  assert.deepEqual(Array.from(r.topics), [1, -1, 1, 1, 1, 2]);
  assert.equal(r.heldFromOutliers, 1);
  assert.equal(r.heldFromOthers, 0);
  assert.ok(Math.abs(r.heldStrength[0]! - 2 / 3) < 1e-6);
  assert.ok(Number.isNaN(r.heldStrength[1]!));
});

test('a document moved to another continuing topic stays while its neighbours or the centroid hold it', () => {
  const r = applyHysteresis(
    input({
      angles: [20, 60, 0, 90, 85],
      prev: [1, 1, 1, 2, 2],
      next: [2, 2, 1, 2, 2],
      // doc 0: no neighbour in topic 1, but near its centroid (20° from topic 1, 70° from topic 2)
      // doc 1: no neighbour in topic 1 and nearer topic 2's centroid: it moves
      nbs: [[0, 3, 4], [1, 3, 4], [2, 0, 1], [3, 4, 1], [4, 3, 1]],
    }),
    { minNeighbourShare: 0.3, minCentroidSimilarity: 0.9, ...plain },
  );
  assert.deepEqual(Array.from(r.topics), [1, 2, 1, 2, 2]);
  assert.equal(r.heldFromOthers, 1);
  assert.ok(Math.abs(r.heldStrength[0]! - Math.cos((20 * Math.PI) / 180)) < 1e-5);
});

test('documents drawn into a new topic follow it, and a topic that did not go on holds no one', () => {
  const r = applyHysteresis(
    input({
      angles: [0, 0, 0, 0],
      prev: [1, 1, 3, 1],
      next: [9, 1, 1, -1],
      nbs: [[0, 1, 3], [1, 0, 3], [2, 0, 1], [3, 0, 1]],
      continuing: new Set([1]),
    }),
    opts,
  );
  // doc 0 went to new topic 9 (born or split): it follows; doc 2's topic 3 died: it takes the new one;
  // doc 3 (an outlier now) is held in topic 1 by its neighbours
  assert.deepEqual(Array.from(r.topics), [9, 1, 1, 1]);
  assert.equal(r.heldFromOutliers, 1);
});

test('documents that were outliers before stay what the refit says; nothing changes without a previous topic', () => {
  const r = applyHysteresis(input({ angles: [0, 0, 0], prev: [-1, -1, 1], next: [-1, 1, 1], nbs: [[0, 2, 1], [1, 2, 0], [2, 1, 0]] }), opts);
  assert.deepEqual(Array.from(r.topics), [-1, 1, 1]);
  assert.equal(r.heldFromOutliers + r.heldFromOthers, 0);
});

test('thresholds at their extremes: 0 holds every document in a continuing topic, above 1 none by neighbours', () => {
  const base = { angles: [0, 90, 0], prev: [1, 1, 1], next: [-1, 2, 1], nbs: [[0, 1, 2], [1, 0, 2], [2, 0, 1]] };
  assert.deepEqual(Array.from(applyHysteresis(input(base), { minNeighbourShare: 0, minCentroidSimilarity: 2, ...plain }).topics), [1, 1, 1]);
  assert.deepEqual(Array.from(applyHysteresis(input(base), { minNeighbourShare: 1.01, minCentroidSimilarity: 2, ...plain }).topics), [-1, 2, 1]);
});

test('switchMargin: a document leaves for another topic only when its centroid is closer by more than the margin', () => {
  // 60°: cosine 0.5 to topic 1's centroid (0°), 0.866 to topic 2's (90°); no neighbour in topic 1
  const c = { angles: [60, 0, 90], prev: [1, 1, 2], next: [2, 1, 2], nbs: [[0, 2], [1, 0], [2, 0]] };
  const at = (switchMargin: number) => Array.from(applyHysteresis(input(c), { minNeighbourShare: 0.3, minCentroidSimilarity: 0.4, switchMargin, minNeighbourShareAgainstNew: 1 }).topics)[0];
  assert.equal(at(0.3), 2, '0.5 < 0.866 - 0.3: it moves');
  assert.equal(at(0.4), 1, '0.5 >= 0.866 - 0.4: it stays');
});

test('minNeighbourShareAgainstNew: drawn into a new topic, a document stays only while enough of its neighbours are in its old one', () => {
  const c = { angles: [0, 0, 0, 0], prev: [1, 1, 1, 1], next: [9, 1, 9, 1], nbs: [[0, 1, 3], [1, 0, 3], [2, 0, 0], [3, 0, 1]] };
  const run = (share: number) => Array.from(applyHysteresis(input(c), { ...opts, minNeighbourShareAgainstNew: share }).topics);
  // doc 0: 2 of 2 neighbours in topic 1; doc 2: none (its neighbour doc 0 is in topic 9 by the refit)
  assert.deepEqual(run(1.01), [9, 1, 9, 1]);
  assert.deepEqual(run(0.5), [1, 1, 9, 1]);
});
