/**
 * Zero-shot and guided topics against BERTopic 0.17.4 (fixtures made by
 * test/fixtures/toolbox/make_guided.py) on the toolbox fixture's 400 posts, their embeddings by our
 * embedder and its fixed topics: which documents go to which named topic and the combined topic
 * ids (zero-shot), which documents are nudged toward which seed topic and their nudged embeddings,
 * and every topic's top 10 words with the seed words' idf boost (guided).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Matrix } from '../../src/core/types.js';
import { readNpy } from '../../src/model/npy.js';
import { readDocs } from '../../src/io/readDocs.js';
import { describeTopics } from '../../src/pipeline/describeTopics.js';
import { combineZeroShot, matchZeroShot, unmatchedRows } from '../../src/toolbox/zeroShot.js';
import { guideEmbeddings } from '../../src/toolbox/guided.js';
import { FIXTURES } from '../helpers/paths.js';

interface Fixture {
  zeroshot: { names: string[]; min_similarity: number; name_vectors: number[][]; topics: number[]; labels: Record<string, string> };
  guided: { seeds: string[][]; seed_vectors: number[][]; y: number[]; nudged_head: number[][]; words: Record<string, Array<[string, number]>> };
}

const DIR = path.join(FIXTURES, 'toolbox');
const fx = JSON.parse(readFileSync(path.join(DIR, 'guided.json'), 'utf8')) as Fixture;
const base = (JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { base_topics: number[] }).base_topics;
const embeddings = readNpy(path.join(DIR, 'embeddings.npy'));
const matrix = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0]!.length, data: Float32Array.from(rows.flat()) });

test('zero-shot: the documents matched to named topics and the combined topics are BERTopic\'s', () => {
  const z = fx.zeroshot;
  const match = matchZeroShot(embeddings, matrix(z.name_vectors), z.min_similarity);
  const rows = unmatchedRows(match);
  // BERTopic clustered the unmatched rows into their fixed topics (make_guided.py's RowCluster)
  const clusters = Int32Array.from(rows, (r) => base[r]!);
  const { labels, names } = combineZeroShot(match, rows, clusters);
  assert.deepEqual([...labels], z.topics);
  assert.deepEqual(Object.fromEntries([...names].map(([id, i]) => [String(id), z.names[i]!])), z.labels);
  assert.ok(rows.length < 400 && rows.length > 300, `${400 - rows.length} matched`);
});

test('guided: the nudged documents, their seed topics and nudged embeddings are BERTopic\'s', () => {
  const g = fx.guided;
  const out = guideEmbeddings(embeddings, matrix(g.seed_vectors));
  assert.deepEqual([...out.y], g.y);
  for (let r = 0; r < embeddings.rows; r++) {
    for (let c = 0; c < 4; c++) {
      const d = Math.abs(out.embeddings.data[r * embeddings.cols + c]! - g.nudged_head[r]![c]!);
      assert.ok(d < 1e-6, `row ${r} col ${c}: ${out.embeddings.data[r * embeddings.cols + c]} vs ${g.nudged_head[r]![c]}`);
    }
  }
  assert.equal(embeddings.data[0], readNpy(path.join(DIR, 'embeddings.npy')).data[0], 'the input is not changed');
});

test('guided: the topic words with the seed words\' idf boost are BERTopic\'s (up to the order of tied words)', async () => {
  const config = loadConfig({ env: {} });
  const docs = (await readDocs(path.join(DIR, 'docs.jsonl.gz'), { ...config.input })).docs;
  const guided = { ...config, topics: { ...config.topics, seedTopics: fx.guided.seeds } };
  const ours = describeTopics(docs, Int32Array.from(base), guided);
  assert.deepEqual(ours.map((t) => String(t.id)).sort(), Object.keys(fx.guided.words).sort());
  let boosted = 0;
  for (const t of ours) {
    const theirs = fx.guided.words[String(t.id)]!;
    const scoreOf = new Map(theirs.map(([w, s]) => [w, s]));
    const last = theirs[theirs.length - 1]![1];
    t.words.slice(0, 10).forEach((w, i) => {
      assert.ok(Math.abs(w.score - theirs[i]![1]) < 1e-9, `topic ${t.id} word ${i}: ${w.score} vs ${theirs[i]![1]}`);
      assert.ok(Math.abs(w.score - (scoreOf.get(w.word) ?? last)) < 1e-9, `topic ${t.id}: "${w.word}"`);
      if (fx.guided.seeds.flat().includes(w.word)) boosted++;
    });
  }
  // the boost matters: without it the words differ
  const plain = describeTopics(docs, Int32Array.from(base), config);
  assert.ok(boosted > 0 && plain.some((t, i) => t.words[0]!.score !== ours[i]!.words[0]!.score));
});
