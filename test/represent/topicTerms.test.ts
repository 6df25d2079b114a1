import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CountVectorizerOptions } from '../../src/represent/countVectorizer.js';
import { csrGet } from '../../src/represent/csr.js';
import type { CtfidfOptions } from '../../src/represent/ctfidf.js';
import { representativeDocsByCtfidf } from '../../src/represent/representativeDocs.js';
import { computeTopicTerms, topicRowOf, type TopicTerms } from '../../src/represent/topicTerms.js';
import { type CsrJson, csrEntries, docsFixture, loadFixture, relClose } from './fixtureData.js';

interface CtfidfCase {
  name: string;
  vectorizer: CountVectorizerOptions;
  ctfidf: CtfidfOptions;
  topic_ids: number[];
  vocabulary_size: number;
  vocabulary: string[] | null;
  counts: CsrJson | null;
  idf_checks: [string, number][];
  idf_sum: number;
  idf_sumsq: number;
  score_nnz: number;
  row_sum: number[];
  row_sumsq: number[];
  topics: Record<string, [string, number][]>;
  representative_docs: Record<string, number[]>;
}

const REL = 1e-6;
const fx = loadFixture<{ cases: CtfidfCase[] }>('represent', 'ctfidf.json');
const { docs, labels } = docsFixture();

function wordScore(r: TopicTerms, row: number, word: string): number {
  const col = r.vocabulary.indexOf(word);
  return col < 0 ? 0 : csrGet(r.scores, row, col);
}

for (const c of fx.cases) {
  test(`computeTopicTerms "${c.name}" equals BERTopic's c-TF-IDF and top words`, () => {
    const r = computeTopicTerms({ docs, labels, vectorizer: c.vectorizer, ctfidf: c.ctfidf, topNWords: 10 });
    assert.deepEqual(Array.from(r.topicIds), c.topic_ids);
    assert.equal(r.vocabulary.length, c.vocabulary_size);
    if (c.vocabulary) assert.deepEqual(r.vocabulary, c.vocabulary);
    if (c.counts) assert.deepEqual(csrEntries(r.counts), csrEntries(c.counts));

    for (const [word, idf] of c.idf_checks) {
      const col = r.vocabulary.indexOf(word);
      assert.ok(col >= 0, `idf word ${word} missing`);
      assert.ok(relClose(r.idf[col]!, idf, REL), `idf(${word}) = ${r.idf[col]}, expected ${idf}`);
    }
    let s = 0;
    let s2 = 0;
    for (const v of r.idf) {
      s += v;
      s2 += v * v;
    }
    assert.ok(relClose(s, c.idf_sum, REL), `idf sum ${s} vs ${c.idf_sum}`);
    assert.ok(relClose(s2, c.idf_sumsq, REL), `idf sum of squares ${s2} vs ${c.idf_sumsq}`);

    assert.equal(r.scores.indptr[r.scores.rows], c.score_nnz);
    for (let row = 0; row < r.scores.rows; row++) {
      let rs = 0;
      let rs2 = 0;
      for (let p = r.scores.indptr[row]!; p < r.scores.indptr[row + 1]!; p++) {
        rs += r.scores.data[p]!;
        rs2 += r.scores.data[p]! ** 2;
      }
      assert.ok(relClose(rs, c.row_sum[row]!, REL), `row ${row} sum ${rs} vs ${c.row_sum[row]}`);
      assert.ok(relClose(rs2, c.row_sumsq[row]!, REL), `row ${row} sum of squares`);
    }

    for (const t of r.topics) {
      // BERTopic pads with ("", 1e-05); we leave those out.
      const expected = c.topics[String(t.id)]!.filter(([w]) => w !== '');
      assert.equal(t.words.length, expected.length, `topic ${t.id} word count`);
      const row = topicRowOf(r, t.id);
      expected.forEach(([word, score], i) => {
        // Same score sequence; a different word at a position is only allowed within a tie,
        // so every BERTopic word must carry BERTopic's score in our matrix too.
        assert.ok(relClose(t.words[i]!.score, score, REL), `topic ${t.id} #${i}: ${t.words[i]!.score} vs ${score}`);
        assert.ok(relClose(wordScore(r, row, word), score, REL), `topic ${t.id}: ${word}`);
      });
      const tiesFree = expected.filter(([, sc]) => expected.filter(([, s2]) => relClose(s2, sc, 1e-12)).length === 1);
      for (const [word] of tiesFree.slice(0, -1)) {
        assert.ok(t.words.some((w) => w.word === word), `topic ${t.id} lacks ${word}`);
      }
    }
  });
}

test("representative documents equal BERTopic's (cleanDocs: false, all docs are candidates)", () => {
  const c = fx.cases[0]!;
  const r = computeTopicTerms({ docs, labels });
  const rep = representativeDocsByCtfidf(r, docs, labels, { cleanDocs: false });
  for (const id of c.topic_ids) {
    assert.deepEqual([...rep.get(id)!].sort((a, b) => a - b), c.representative_docs[String(id)], `topic ${id}`);
  }
  // The default (cleaned documents) picks from the topic's own documents, best first.
  const cleaned = representativeDocsByCtfidf(r, docs, labels);
  for (const [id, idx] of cleaned) {
    assert.ok(idx.length === Math.min(3, labels.filter((l) => l === id).length));
    for (const i of idx) assert.equal(labels[i], id);
  }
});
