import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/represent/analyzer.js';
import { keepToken, resolveTokenFilter, stripUrlsAndHandles } from '../../src/represent/tokenFilter.js';
import { computeTopicTerms } from '../../src/represent/topicTerms.js';

const english = { cleaning: 'bertopic-english' as const };

test('a URL glued into one token by the cleaning ("httpstco...") is left out with dropUrls, before cleaning', () => {
  const tweet = 'Thank you America! https://t.co/AnVtczqFOq #Trump2016';
  assert.deepEqual(analyze(tweet, english), ['thank', 'you', 'america', 'httpstcoanvtczqfoq', 'trump2016']);
  assert.deepEqual(analyze(tweet, { ...english, dropUrls: true }), ['thank', 'you', 'america', 'trump2016']);
  // without cleaning the URL would be three tokens
  assert.deepEqual(analyze('see https://t.co/AbC now', {}), ['see', 'https', 'co', 'abc', 'now']);
  assert.deepEqual(analyze('see https://t.co/AbC now', { dropUrls: true }), ['see', 'now']);
});

test('dropUrls: http, https, www. and pic.twitter.com links, any case; the words around them stay apart', () => {
  const f = resolveTokenFilter({ dropUrls: true })!;
  assert.equal(stripUrlsAndHandles('a HTTP://x.org/p?q=1 b www.cnn.com/x c pic.twitter.com/Zz9 d', f).split(/\s+/).join(' '), 'a b c d');
  assert.deepEqual(analyze('wall:https://t.co/x9 mexico', { ...english, dropUrls: true }), ['wall', 'mexico']);
  assert.deepEqual(analyze('http is a protocol', { ...english, dropUrls: true }), ['http', 'is', 'protocol']);
});

test('dropHandles: @handles (also ".@name") are left out, e-mail addresses are not handles', () => {
  assert.deepEqual(analyze('.@megynkelly is great @FoxNews', { ...english, dropHandles: true }), ['is', 'great']);
  assert.deepEqual(analyze('.@megynkelly is great', english), ['megynkelly', 'is', 'great']);
  assert.deepEqual(analyze('mail joe@example.com', { dropHandles: true }), ['mail', 'joe', 'example', 'com']);
  assert.deepEqual(analyze('RT @DanScavino: Start the art rt', { ...english, dropHandles: true }), ['start', 'the', 'art', 'rt']);
});

test('dropHtmlEntities: "&amp;" and its kind are left out instead of becoming "amp"', () => {
  const text = 'Jobs &amp; trade &gt; talk &#39;now&#x27;';
  assert.deepEqual(analyze(text, english), ['jobs', 'amp', 'trade', 'gt', 'talk', '39nowx27']);
  assert.deepEqual(analyze(text, { ...english, dropHtmlEntities: true }), ['jobs', 'trade', 'talk', 'now']);
  assert.deepEqual(analyze('AT&T rocks & rolls', { ...english, dropHtmlEntities: true }), ['att', 'rocks', 'rolls']);
});

test('dropNumbers: tokens of digits only go, words with digits stay', () => {
  assert.deepEqual(analyze('2016 trump2016 1st 45 ٣٤', { dropNumbers: true }), ['trump2016', '1st']);
  assert.deepEqual(analyze('2016 trump2016', {}), ['2016', 'trump2016']);
});

test('1-letter tokens never make it (token pattern); minTokenChars drops longer short ones', () => {
  assert.deepEqual(analyze('a I x go usa', {}), ['go', 'usa']);
  assert.deepEqual(analyze('a I x go usa', { minTokenChars: 3 }), ['usa']);
  const f = resolveTokenFilter({ minTokenChars: 3 })!;
  assert.equal(keepToken('ab', f), false);
  assert.equal(keepToken('abc', f), true);
  assert.throws(() => resolveTokenFilter({ minTokenChars: 0 }), /minTokenChars/);
});

test('the filter is off by default (BERTopic) and resolves to null', () => {
  assert.equal(resolveTokenFilter({}), null);
  assert.equal(resolveTokenFilter({ minTokenChars: 2 }), null);
});

test('filtered tokens are removed before n-grams, as stop words are', () => {
  assert.deepEqual(analyze('border https://t.co/x 2019 wall', { ngramRange: [1, 2], dropUrls: true, dropNumbers: true }), ['border', 'wall', 'border wall']);
});

test('topic words and representative documents use the filter', () => {
  const docs = ['build the wall https://t.co/AAA', 'the wall @realDonaldTrump 2019', 'space nasa https://t.co/BBB', 'nasa orbit 2019'];
  const off = computeTopicTerms({ docs, labels: [0, 0, 1, 1] });
  const on = computeTopicTerms({ docs, labels: [0, 0, 1, 1], vectorizer: { stopWords: 'english', dropUrls: true, dropHandles: true, dropNumbers: true } });
  const words = (r: typeof on, id: number) => r.topics.find((t) => t.id === id)!.words.map((w) => w.word);
  assert.ok(words(off, 0).includes('httpstcoaaa') && words(off, 0).includes('realdonaldtrump') && words(off, 0).includes('the'));
  assert.deepEqual(words(on, 0).sort(), ['build', 'wall']);
  assert.deepEqual(words(on, 1).sort(), ['nasa', 'orbit', 'space']);
  assert.ok(on.analyzer.tokenFilter !== null);
});
