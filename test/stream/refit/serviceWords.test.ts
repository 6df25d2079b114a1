import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config/load.js';
import { runDescribeJob } from '../../../src/stream/refit/refitJobs.js';
import { describeTopics, serviceVectorizer } from '../../../src/pipeline/describeTopics.js';

const TWEETS = [
  'Thank you America! https://t.co/AnVtczqFOq #Trump2016',
  'Thank you Iowa, the crowd is great https://t.co/XyZ123abc',
  '.@megynkelly is the worst, you know it. 2016',
  'The debate on @FoxNews tonight, you will see 9 of us &amp; them',
];
const labels = Int32Array.from([0, 0, 1, 1]);

function words(w: Record<string, Array<{ word: string }>>, id: number): string[] {
  return (w[String(id)] ?? []).map((x) => x.word);
}

test('the service leaves stop words, URLs, @handles and numbers out of topic words by default', () => {
  const r = runDescribeJob(loadConfig({ env: {} }), { texts: TWEETS, topics: labels, decay: 0, seed: 1 });
  const all = [...words(r.words, 0), ...words(r.words, 1)];
  for (const noise of ['the', 'you', 'is', 'httpstcoanvtczqfoq', 'httpstcoxyz123abc', 'megynkelly', 'foxnews', '2016', 'amp']) {
    assert.ok(!all.includes(noise), `"${noise}" in ${all.join(', ')}`);
  }
  assert.ok(words(r.words, 0).includes('america') && words(r.words, 1).includes('debate'));
});

test('fit keeps BERTopic defaults: stop words and URL remnants stay, labels are <id>_<w1>_...', () => {
  const config = loadConfig({ env: {} });
  const topics = describeTopics(TWEETS.map((text, i) => ({ id: String(i), text })), labels, config);
  const all = topics.flatMap((t) => t.words.map((w) => w.word));
  for (const raw of ['the', 'you', 'httpstcoanvtczqfoq', 'megynkelly', '2016']) assert.ok(all.includes(raw), raw);
  for (const t of topics) assert.match(t.label, new RegExp(`^${t.id}_[^_]+_`));
});

test('stream.vectorizer overrides vectorizer key by key; keys it does not set come from vectorizer', () => {
  const d = serviceVectorizer(loadConfig({ env: {} }));
  assert.deepEqual(
    { stopWords: d.stopWords, dropUrls: d.dropUrls, dropHandles: d.dropHandles, dropHtmlEntities: d.dropHtmlEntities, dropNumbers: d.dropNumbers, minTokenChars: d.minTokenChars },
    { stopWords: 'english', dropUrls: true, dropHandles: true, dropHtmlEntities: true, dropNumbers: true, minTokenChars: 2 },
  );
  const c = loadConfig({ env: {}, flags: { vectorizer: { minDf: 3, ngramRange: [1, 2] }, stream: { vectorizer: { stopWords: null, dropHandles: false, ngramRange: [1, 1] } } } });
  const v = serviceVectorizer(c);
  assert.equal(v.minDf, 3);
  assert.deepEqual(v.ngramRange, [1, 1]);
  assert.equal(v.stopWords, null);
  assert.equal(v.dropHandles, false);
  assert.equal(v.dropUrls, true);
  assert.equal(c.vectorizer.dropUrls, false); // fit's own settings are untouched
  assert.throws(() => loadConfig({ env: {}, flags: { stream: { vectorizer: { dropUrl: true } } } }), /dropUrl/);
});
