import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topicDiversity } from '../../src/eval/diversity.js';
import { npmiCoherence, npmiOfCounts } from '../../src/eval/npmi.js';
import { createAnalyzer } from '../../src/represent/analyzer.js';
import { docsFixture, loadFixture, relClose } from '../represent/fixtureData.js';

interface QualityFixture {
  npmi_topics: { id: number; words: string[] }[];
  npmi_per_topic: { id: number; npmi: number | null }[];
  npmi_mean: number;
  diversity_topics: { id: number; words: string[] }[];
  diversity: number;
}

const fx = loadFixture<QualityFixture>('eval', 'topic_quality.json');

test('NPMI over document co-occurrence equals the numpy reference', () => {
  const analyzer = createAnalyzer({ cleaning: 'bertopic-english' });
  const tokenised = docsFixture().docs.map(analyzer);
  const r = npmiCoherence(fx.npmi_topics, tokenised);
  assert.equal(r.perTopic.length, fx.npmi_per_topic.length);
  r.perTopic.forEach((t, i) => {
    const e = fx.npmi_per_topic[i]!;
    assert.equal(t.id, e.id);
    if (e.npmi === null) assert.ok(Number.isNaN(t.npmi), `topic ${t.id} should not be scored`);
    else assert.ok(relClose(t.npmi, e.npmi, 1e-9), `topic ${t.id}: ${t.npmi} vs ${e.npmi}`);
  });
  assert.ok(relClose(r.mean, fx.npmi_mean, 1e-9), `mean ${r.mean} vs ${fx.npmi_mean}`);
});

test('NPMI handles more than one bitset block growth and accepts word objects', () => {
  const docs: string[][] = [];
  for (let i = 0; i < 70000; i++) docs.push(i % 2 === 0 ? ['aa', 'bb'] : i % 3 === 0 ? ['aa'] : ['cc']);
  const r = npmiCoherence([{ id: 0, words: [{ word: 'aa' }, { word: 'bb' }] }], docs);
  let a = 0;
  let ab = 0;
  for (let i = 0; i < 70000; i++) {
    if (i % 2 === 0 || i % 3 === 0) a++;
    if (i % 2 === 0) ab++;
  }
  assert.ok(relClose(r.mean, npmiOfCounts(a, ab, ab, 70000), 1e-12));
});

test('NPMI edge cases: never together = -1, always together = 1', () => {
  assert.equal(npmiOfCounts(3, 4, 0, 10), -1);
  assert.equal(npmiOfCounts(10, 10, 10, 10), 1);
  assert.ok(Math.abs(npmiOfCounts(5, 5, 5, 10) - 1) < 1e-12);
});

test('topic diversity equals the reference (top 25 words, outliers left out)', () => {
  assert.ok(relClose(topicDiversity(fx.diversity_topics), fx.diversity, 1e-12));
  assert.equal(topicDiversity([{ id: -1, words: ['a', 'a'] }, { id: 0, words: ['a', 'b'] }, { id: 1, words: ['b', 'c'] }]), 0.75);
});
