/** The main-thread part of named topics (src/stream/refit/namedTopics.ts): ids, events, the matcher's view. Plain data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TopicRegistry } from '../../../src/stream/topicRegistry.js';
import { addNamedTopics, clusterUnnamed, namedTopicIds, withoutNamed } from '../../../src/stream/refit/namedTopics.js';
import type { MatchResult } from '../../../src/stream/identity/matchTopics.js';

function registryWith(): TopicRegistry {
  const r = new TopicRegistry();
  r.ensure(0, 1);
  r.ensure(1, 1);
  r.setName(1, 'space');
  r.ensure(2, 1);
  r.setName(2, 'crypto');
  r.retire(2, 2);
  return r;
}

const match = (): MatchResult => ({ idOf: new Map([[0, 0]]), events: [], nextId: 3, persisted: [] });

test('a name keeps its id (a retired one comes back born); a new name takes the next id; a name without documents dies', () => {
  const r = registryWith();
  // rows: cluster 0, named space, named crypto, named "weather" (new), outlier
  const out = addNamedTopics({
    registry: r,
    names: ['space', 'crypto', 'weather'],
    named: Int32Array.from([-1, 0, 1, 2, -1]),
    match: match(),
    labels: Int32Array.from([0, -1, -1, -1, -1]),
    topicIds: Int32Array.from([0, -1, -1, -1, -1]),
  });
  assert.deepEqual([...out.topicIds], [0, 1, 2, 3, -1]);
  assert.deepEqual([...out.labels], [0, 1, 2, 3, -1]);
  assert.deepEqual([...out.match.idOf], [[0, 0], [1, 1], [2, 2], [3, 3]]);
  assert.equal(out.match.nextId, 4);
  assert.deepEqual(out.names, new Map([[1, 'space'], [2, 'crypto'], [3, 'weather']]));
  assert.deepEqual(out.match.events.map((e) => [e.type, e.topicId]), [['born', 2], ['born', 3]], 'space goes on; crypto comes back; weather is new');

  const none = addNamedTopics({ registry: r, names: ['space'], named: Int32Array.from([-1, -1]), match: match(), labels: Int32Array.from([0, -1]), topicIds: Int32Array.from([0, -1]) });
  assert.deepEqual(none.match.events.map((e) => [e.type, e.topicId]), [['died', 1]]);
  assert.equal(none.names.size, 0);
});

test('the matcher does not see named topics; retired named topics are not pruned; the name is the label below a user label', () => {
  const r = registryWith();
  const named = namedTopicIds(r);
  assert.deepEqual(named, new Map([[1, 'space'], [2, 'crypto']]));
  const v = withoutNamed({ prev: Int32Array.from([0, 1, 2, -1]), activeOld: [0, 1], oldCentroids: new Map([[0, new Float32Array(2)], [1, new Float32Array(2)]]) }, named);
  assert.deepEqual([...v.prev], [0, -1, -1, -1]);
  assert.deepEqual(v.activeOld, [0]);
  assert.deepEqual([...v.oldCentroids.keys()], [0]);
  r.ensure(3, 2);
  r.retire(3, 3);
  r.pruneRetired(0);
  assert.ok(r.get(2), 'the retired named topic stays');
  assert.equal(r.get(3), undefined);
  assert.equal(r.get(1)!.label, 'space');
  r.setCustomLabel(1, 'Space & NASA');
  assert.equal(r.get(1)!.label, 'Space & NASA');
  assert.equal(r.clone().get(1)!.name, 'space');
});

test('clusterUnnamed: rows matched to a name are set aside, the others clustered', () => {
  // 2-d vectors: names along x and y; rows near x, near y, and in between
  const work = { rows: 4, cols: 2, data: Float32Array.from([1, 0, 0, 1, 0.7, 0.7, 0.6, 0.8]) };
  const reduced = { rows: 4, cols: 1, data: Float32Array.from([0, 1, 2, 3]) };
  const g = { seeds: new Float32Array(0), seedCount: 0, names: Float32Array.from([1, 0, 0, 1]), nameCount: 2, minSimilarity: 0.95 };
  const seen: number[][] = [];
  const out = clusterUnnamed(work, reduced, g, (m) => {
    seen.push([...m.data]);
    return { labels: Int32Array.from([0, 0]), probabilities: Float32Array.from([0.5, 0.6]) };
  });
  assert.deepEqual(seen, [[2, 3]], 'only the rows below the similarity were clustered');
  assert.deepEqual([...out.named!], [0, 1, -1, -1]);
  assert.deepEqual([...out.labels], [-1, -1, 0, 0]);
  assert.deepEqual([...out.probabilities].map((x) => Math.round(x * 100) / 100), [1, 1, 0.5, 0.6]);
});
