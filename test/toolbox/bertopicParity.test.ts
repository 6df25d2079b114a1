/**
 * Topic and outlier reduction against BERTopic 0.17.4 on fixed clusters (fixtures made by
 * test/fixtures/toolbox/make_fixtures.py): 400 posts of 20 Newsgroups, their embeddings by our
 * embedder, 23 fixed topics and 64 outliers. Exact comparisons: the topic of every document (for
 * topic reduction up to the numbering of topics of equal size) and the top 10 words of every topic
 * after the step (up to the order of tied words).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Doc } from '../../src/core/types.js';
import { readDocs } from '../../src/io/readDocs.js';
import { readNpy } from '../../src/model/npy.js';
import { describeTopics, topicTerms } from '../../src/pipeline/describeTopics.js';
import { reduceTopics } from '../../src/toolbox/reduceTopics.js';
import { reduceOutliers, type OutlierStrategy } from '../../src/toolbox/reduceOutliers.js';
import { FIXTURES } from '../helpers/paths.js';

type Words = Record<string, Array<[string, number]>>;
interface Expected {
  base_topics: number[];
  base_words: Words;
  reduce: Array<{ nr_topics: number | 'auto'; use_ctfidf: boolean; topics: number[]; words: Words }>;
  outliers: Array<{ strategy: OutlierStrategy; threshold: number; topics: number[]; words: Words }>;
}

const DIR = path.join(FIXTURES, 'toolbox');
const expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Expected;
const embeddings = readNpy(path.join(DIR, 'embeddings.npy'));
const config = loadConfig({ env: {} });
const base = Int32Array.from(expected.base_topics);
const docs: Doc[] = (await readDocs(path.join(DIR, 'docs.jsonl.gz'), { ...config.input })).docs;

/**
 * Our top 10 words of every topic against BERTopic's: the same topics, the same scores in order
 * (1e-9), and every word at the score BERTopic gives it. BERTopic orders equal scores arbitrarily
 * (argpartition), so among tied words, and at a tie across the 10th place, the words may differ.
 */
function assertWords(labels: Int32Array, expected: Words, theirId: (id: number) => number = (id) => id): void {
  const ours = describeTopics(docs, labels, config).filter((t) => t.id !== -1);
  assert.deepEqual(ours.map((t) => String(theirId(t.id))).sort(), Object.keys(expected).sort());
  for (const t of ours) {
    const theirs = expected[String(theirId(t.id))]!;
    const mine = t.words.slice(0, 10);
    assert.equal(mine.length, theirs.length, `topic ${t.id}: word count`);
    const scoreOf = new Map(theirs.map(([w, s]) => [w, s]));
    const last = theirs[theirs.length - 1]![1];
    mine.forEach((w, i) => {
      assert.ok(Math.abs(w.score - theirs[i]![1]) < 1e-9, `topic ${t.id} word ${i}: score ${w.score} vs ${theirs[i]![1]}`);
      const s = scoreOf.get(w.word) ?? last; // a word not in their 10 must tie at the 10th place
      assert.ok(Math.abs(w.score - s) < 1e-9, `topic ${t.id}: "${w.word}" scores ${w.score}, BERTopic ${s}`);
    });
  }
}

test('the fixture: documents, embeddings and BERTopic\'s words of the fixed topics', () => {
  assert.equal(docs.length, 400);
  assert.equal(embeddings.rows, 400);
  assertWords(base, expected.base_words);
});

/**
 * Our topics against BERTopic's, document by document: the same partition (a one-to-one map of
 * topic ids, -1 to -1), and the same id for every topic whose size no other topic has. Topics of
 * equal size may be numbered differently: BERTopic orders them by pandas' quicksort, which is not
 * stable; we put the one holding the lowest id of before first.
 */
function assertSamePartition(ours: Int32Array, theirs: readonly number[]): Map<number, number> {
  const map = new Map<number, number>();
  ours.forEach((a, i) => {
    const b = theirs[i]!;
    assert.equal(map.get(a) ?? b, b, `document ${i}: our topic ${a} is BERTopic's ${map.get(a)} elsewhere, here ${b}`);
    map.set(a, b);
  });
  assert.equal(new Set(map.values()).size, map.size, 'two of our topics are one of BERTopic\'s');
  assert.equal(map.get(-1) ?? -1, -1);
  const sizes = new Map<number, number>();
  for (const a of ours) sizes.set(a, (sizes.get(a) ?? 0) + 1);
  const sizeCount = new Map<number, number>();
  for (const [t, n] of sizes) if (t >= 0) sizeCount.set(n, (sizeCount.get(n) ?? 0) + 1);
  for (const [a, b] of map) if (a >= 0 && sizeCount.get(sizes.get(a)!) === 1) assert.equal(a, b, `topic ${a} (a size no other topic has) is BERTopic's ${b}`);
  return map;
}

for (const c of expected.reduce) {
  const distance = c.use_ctfidf ? 'c-tf-idf' : 'embeddings';
  test(`reduce_topics(nr_topics=${c.nr_topics}, use_ctfidf=${c.use_ctfidf}): the same merges and words`, () => {
    const texts = docs.map((d) => d.text);
    const r = reduceTopics({ labels: base, nrTopics: c.nr_topics, distance, embeddings, terms: topicTerms(texts, base, config) });
    const theirs = assertSamePartition(r.labels, c.topics);
    assertWords(r.labels, c.words, (id) => theirs.get(id)!);
  });
}

for (const c of expected.outliers) {
  test(`reduce_outliers(strategy="${c.strategy}", threshold=${c.threshold}) + update_topics: the same topics and words`, () => {
    const texts = docs.map((d) => d.text);
    const r = reduceOutliers({ texts, labels: base, strategy: c.strategy, threshold: c.threshold, embeddings, terms: topicTerms(texts, base, config) });
    assert.deepEqual(Array.from(r.labels), c.topics);
    assert.equal(r.reassigned, base.filter((l) => l === -1).length - c.topics.filter((l) => l === -1).length);
    assertWords(r.labels, c.words);
  });
}
