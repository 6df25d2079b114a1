/** topics over time (BERTopic's topics_over_time): equal-width bins, counts and words per bin. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import { timeBins, topicsOverTime } from '../../src/pipeline/topicsOverTime.js';
import type { Doc } from '../../src/core/types.js';

test('timeBins: equal width from the first to the last timestamp, the last one closed', () => {
  const cut = timeBins([0, 5, 10, undefined, 9.99], 2)!;
  assert.deepEqual([...cut.bin], [0, 1, 1, -1, 1]);
  assert.equal(cut.width, 5);
  assert.equal(timeBins([undefined], 3), null);
  assert.equal(timeBins([7, 7], 3)!.nrBins, 1, 'one bin when every document has the same time');
});

test('topicsOverTime: documents per topic per bin, with the bin\'s own top words', () => {
  const day = 86_400_000;
  const docs: Doc[] = [
    { id: '1', text: 'cats purr softly', ts: 0 },
    { id: '2', text: 'cats sleep all day', ts: 1000 },
    { id: '3', text: 'rockets launch today', ts: 2000 },
    { id: '4', text: 'dogs bark loudly', ts: 2 * day },
    { id: '5', text: 'rockets reach orbit', ts: 2 * day },
    { id: '6', text: 'no time here' },
  ];
  const labels = Int32Array.from([0, 0, 1, 0, 1, -1]);
  const tot = topicsOverTime(docs, labels, loadConfig(), 2)!;
  assert.equal(tot.nr_bins, 2);
  assert.equal(tot.bins[0]!.start, new Date(0).toISOString());
  assert.deepEqual(tot.topics.map((t) => [t.id, t.counts]), [[-1, [0, 0]], [0, [2, 1]], [1, [1, 1]]]);
  const cats = tot.topics.find((t) => t.id === 0)!;
  assert.ok(cats.words[0]!.includes('cats'));
  assert.ok(cats.words[1]!.includes('dogs') && !cats.words[1]!.includes('cats'));
  assert.equal(topicsOverTime([{ id: 'x', text: 'no ts' }], Int32Array.from([0]), loadConfig()), null);
});
