import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hungarian } from '../../src/stream/identity/hungarian.js';
import { matchTopics } from '../../src/stream/identity/matchTopics.js';
import { withoutVanished } from '../../src/stream/identity/vanished.js';

const opts = { minJaccard: 0.1, minCentroidSimilarity: 0.8, mergeShare: 0.5 };

function bruteBest(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0]!.length;
  let best = Infinity;
  const used = new Array(cols).fill(false);
  const rec = (i: number, acc: number) => {
    if (i === rows) return void (best = Math.min(best, acc));
    let any = false;
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      any = true;
      used[j] = true;
      rec(i + 1, acc + cost[i]![j]!);
      used[j] = false;
    }
    if (!any) rec(i + 1, acc);
  };
  rec(0, 0);
  return best;
}

test('hungarian finds the minimum-cost assignment (square and rectangular, vs brute force)', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [r, c] of [[4, 4], [3, 5], [5, 3], [1, 4], [6, 6]] as const) {
    const cost = Array.from({ length: r }, () => Array.from({ length: c }, () => Math.round(rnd() * 100)));
    const flat = Float64Array.from(cost.flat());
    const colOf = hungarian(flat, r, c);
    const seen = new Set<number>();
    let total = 0;
    for (let i = 0; i < r; i++) {
      if (colOf[i]! < 0) continue;
      assert.ok(!seen.has(colOf[i]!), 'a column is used once');
      seen.add(colOf[i]!);
      total += cost[i]![colOf[i]!]!;
    }
    assert.equal(seen.size, Math.min(r, c));
    // brute force over the smaller side
    const best = r <= c ? bruteBest(cost) : bruteBest(cost[0]!.map((_, j) => cost.map((row) => row[j]!)));
    assert.equal(total, best, `${r}x${c}`);
  }
});

test('clusters keep the id of the old topic they overlap most, even when relabelled', () => {
  // old topics 5 and 9; the refit labels the same groups 1 and 0, plus a new group 2
  const prev = Int32Array.from([5, 5, 5, 5, 9, 9, 9, 9, -2, -2, -2]);
  const next = Int32Array.from([1, 1, 1, 0, 0, 0, 0, 0, 2, 2, 2]);
  const r = matchTopics({ prev, next, activeOld: [5, 9], nextId: 10 }, opts);
  assert.equal(r.idOf.get(1), 5);
  assert.equal(r.idOf.get(0), 9);
  assert.equal(r.idOf.get(2), 10);
  assert.deepEqual(r.events.map((e) => [e.type, e.topicId]), [['born', 10]]);
  assert.equal(r.nextId, 11);
  assert.equal(r.persisted.length, 2);
});

test('split, merge and death produce events naming the related ids', () => {
  // old 1 (8 docs) splits into clusters 0 and 1; old 2 and 3 merge into cluster 2; old 4 vanishes into noise
  const prev = Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
  const next = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, -1, -1, -1]);
  const r = matchTopics({ prev, next, activeOld: [1, 2, 3, 4], nextId: 20 }, opts);
  assert.equal(r.idOf.get(0), 1);
  assert.equal(r.idOf.get(2), 2);
  const byType = (t: string) => r.events.filter((e) => e.type === t);
  assert.deepEqual(byType('split').map((e) => [e.topicId, e.related]), [[20, [1]]]);
  assert.deepEqual(byType('merged').map((e) => [e.topicId, e.related]), [[3, [2]]]);
  assert.deepEqual(byType('died').map((e) => e.topicId), [4]);
  assert.equal(byType('born').length, 0);
});

test('clusters that left the window during the refit: the split is never born, the topics continued and merged into them die', () => {
  // as above: old 1 splits into clusters 0 (keeps id 1) and 1 (split, id 20); old 2 and 3 merge into cluster 2 (keeps id 2); old 4 dies
  const prev = Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
  const next = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, -1, -1, -1]);
  const match = matchTopics({ prev, next, activeOld: [1, 2, 3, 4], nextId: 20 }, opts);
  assert.equal(withoutVanished(match, new Set()), match);
  // clusters 1 and 2 have no document left
  const r = withoutVanished(match, new Set([1, 2]));
  assert.deepEqual([...r.idOf], [[0, 1]]);
  assert.equal(r.nextId, 21, 'the unborn split still spent its id');
  assert.deepEqual(r.events.map((e) => [e.type, e.topicId, e.related]), [['died', 3, []], ['died', 4, []], ['died', 2, []]]);
  assert.deepEqual(r.events.map((e) => e.details.left_window), [1, undefined, 1]);
  assert.deepEqual(r.persisted.map((p) => p.topicId), [1]);
});

test('with no shared documents, centroid similarity carries the id over', () => {
  const prev = Int32Array.from([-2, -2, -2, -2]);
  const next = Int32Array.from([0, 0, 1, 1]);
  const c = (x: number, y: number) => Float32Array.from([x, y]);
  const r = matchTopics(
    { prev, next, activeOld: [3, 4], nextId: 5, oldCentroids: new Map([[3, c(1, 0)], [4, c(0, 1)]]), newCentroids: new Map([[0, c(0.05, 0.9987)], [1, c(-1, 0)]]) },
    opts,
  );
  assert.equal(r.idOf.get(0), 4);
  assert.equal(r.idOf.get(1), 5, 'too far from topic 3: a new id');
  assert.deepEqual(r.events.map((e) => [e.type, e.topicId]).sort(), [['born', 5], ['died', 3]]);
});

test('ids are never reused', () => {
  const r1 = matchTopics({ prev: Int32Array.from([0, 0, 0]), next: Int32Array.from([-1, -1, -1]), activeOld: [0], nextId: 1 }, opts);
  assert.deepEqual(r1.events.map((e) => e.type), ['died']);
  const r2 = matchTopics({ prev: Int32Array.from([-1, -1, -1]), next: Int32Array.from([0, 0, 0]), activeOld: [], nextId: r1.nextId }, opts);
  assert.equal(r2.idOf.get(0), 1);
});
