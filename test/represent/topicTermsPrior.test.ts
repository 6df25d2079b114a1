import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csrGet } from '../../src/represent/csr.js';
import { computeTopicTerms, topicRowOf, type TopicTermCounts } from '../../src/represent/topicTerms.js';
import { topicLabel } from '../../src/represent/topicLabel.js';
import { representativeDocsByCentroid } from '../../src/represent/representativeDocs.js';
import { createMatrix } from '../../src/core/types.js';

function count(t: TopicTermCounts, topic: number, word: string): number {
  const row = topicRowOf(t, topic);
  const col = t.vocabulary.indexOf(word);
  return row < 0 || col < 0 ? 0 : csrGet(t.counts, row, col);
}

const w1 = {
  docs: ['rocket launch orbit', 'rocket engine', 'goal hockey puck', 'puck goal goal', 'noise words'],
  labels: [3, 3, 7, 7, -1],
};
const w2 = {
  docs: ['orbit satellite', 'hockey playoff', 'nothing here', 'playoff goal'],
  labels: [3, 7, -1, 9],
};

test('prior counts are added with decay, per topic id and word', () => {
  const first = computeTopicTerms(w1);
  const second = computeTopicTerms({ ...w2, prior: first.carryOver, decay: 0.5 });
  assert.deepEqual(Array.from(second.topicIds), [-1, 3, 7, 9]);
  assert.equal(count(second, 3, 'rocket'), 1); // 0.5 x 2, a word only in the prior
  assert.equal(count(second, 3, 'orbit'), 1.5); // 1 + 0.5 x 1
  assert.equal(count(second, 3, 'satellite'), 1);
  assert.equal(count(second, 7, 'goal'), 1.5); // 0.5 x 3
  assert.equal(count(second, 9, 'goal'), 1); // topic 9 is new: no prior
  assert.equal(count(second, -1, 'noise'), 0.5);
  // Sizes are this window's documents only.
  assert.deepEqual(Array.from(second.sizes), [1, 1, 1, 1]);
  // A topic with few new posts keeps its words: "rocket" still ranks in topic 3.
  assert.ok(second.topics.find((t) => t.id === 3)!.words.some((w) => w.word === 'rocket'));
});

test('prior topics absent from the window are dropped; tiny decayed counts fade out', () => {
  const first = computeTopicTerms(w1);
  const onlyThree = computeTopicTerms({ docs: ['orbit'], labels: [3], prior: first.carryOver, decay: 0.004 });
  assert.deepEqual(Array.from(onlyThree.topicIds), [3]);
  assert.equal(count(onlyThree, 3, 'rocket'), 0); // 0.008 < priorMinCount 0.01
  assert.equal(count(onlyThree, 3, 'orbit'), 1); // 0.004 dropped, 1 from the window
  assert.ok(!onlyThree.vocabulary.includes('puck'));
});

test('decay 0 equals no prior; a prior without decay is refused', () => {
  const first = computeTopicTerms(w1);
  const a = computeTopicTerms(w2);
  const b = computeTopicTerms({ ...w2, prior: first.carryOver, decay: 0 });
  assert.deepEqual(b.vocabulary, a.vocabulary);
  assert.deepEqual(Array.from(b.scores.data), Array.from(a.scores.data));
  assert.throws(() => computeTopicTerms({ ...w2, prior: first.carryOver }), /decay/);
});

test('carryOver keeps words that minDf pruned from the scores', () => {
  const r = computeTopicTerms({ ...w1, vectorizer: { minDf: 2 } });
  assert.ok(!r.vocabulary.includes('rocket'));
  assert.ok(r.carryOver.vocabulary.includes('rocket'));
  assert.equal(count(r.carryOver, 3, 'rocket'), 2);
});

test('a window where every word is pruned gives empty topics, not an exception', () => {
  const r = computeTopicTerms({ docs: ['aa bb', 'cc dd'], labels: [0, 1], vectorizer: { minDf: 2 } });
  assert.equal(r.vocabulary.length, 0);
  assert.deepEqual(r.topics.map((t) => t.words.length), [0, 0]);
});

test('topic labels look like BERTopic names', () => {
  assert.equal(topicLabel(4, [{ word: 'space' }, { word: 'nasa' }, { word: 'orbit' }, { word: 'launch' }, { word: 'moon' }]), '4_space_nasa_orbit_launch');
  assert.equal(topicLabel(-1, ['the', 'of']), '-1_the_of');
});

test('representative documents by centroid pick the documents nearest the topic mean', () => {
  const emb = createMatrix(4, 2, new Float32Array([1, 0, 0.9, 0.1, 0, 1, 0.6, 0.4]));
  const rep = representativeDocsByCentroid(emb, [0, 0, 1, 0], { nrDocs: 2 });
  assert.deepEqual(rep.get(0), [1, 0]); // mean (0.83, 0.17): cosines 0.996, 0.981, 0.924
  assert.deepEqual(rep.get(1), [2]);
});
