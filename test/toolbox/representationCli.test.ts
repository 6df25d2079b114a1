/**
 * `fit` and `refit` with --representation on the toolbox fixture (stored embeddings, so only the
 * candidate words are embedded: refit starts the model for them): the words of topics.json are the
 * representation's, equal to describeTopicsWith on the fit's own labels; topics.json has the
 * hierarchy of its topics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, FIXTURES, ROOT } from '../helpers/paths.js';
import type { TopicsFile } from '../../src/model/outputs.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'warn' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const work = mkdtempSync(path.join(tmpdir(), 'ts-representation-'));
const DOCS = path.join(FIXTURES, 'toolbox', 'docs.jsonl.gz');
const NPY = path.join(FIXTURES, 'toolbox', 'embeddings.npy');
const topicsOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'topics.json'), 'utf8')) as TopicsFile & { config: { representation: { method: string; diversity: number } } };

test('fit --representation mmr, refit --representation keybert, reduce: their words, and the hierarchy', () => {
  const fit = path.join(work, 'fit');
  let r = cli(['fit', DOCS, '--embeddings', NPY, '--out', fit, '--quiet', '--representation', 'mmr', '--diversity', '0.5']);
  assert.equal(r.code, 0, r.err);
  const mmr = topicsOf(fit);
  assert.deepEqual(mmr.config.representation.method, 'mmr');
  assert.equal(mmr.config.representation.diversity, 0.5);
  for (const t of mmr.topics) {
    assert.equal(t.words.length, 10);
    assert.deepEqual(t.words.map((w) => w.score), [...t.words.map((w) => w.score)].sort((a, b) => b - a), 'MMR words keep c-TF-IDF order');
  }
  assert.equal(mmr.hierarchy!.length, mmr.n_topics - 1);
  assert.deepEqual(mmr.hierarchy!.at(-1)!.topics, mmr.topics.filter((t) => t.id !== -1).map((t) => t.id).sort((a, b) => a - b), 'the root holds every topic');

  const kb = path.join(work, 'keybert');
  r = cli(['refit', fit, '--out', kb, '--quiet', '--representation', 'keybert']);
  assert.equal(r.code, 0, r.err);
  const keybert = topicsOf(kb);
  assert.equal(keybert.config.representation.method, 'keybert');
  const topic = (f: TopicsFile, id: number) => f.topics.find((t) => t.id === id)!.words.map((w) => w.word);
  let differ = 0;
  for (const t of keybert.topics) {
    assert.ok(t.words.every((w) => w.score <= 1 && w.score > 0), 'KeyBERT scores are cosine similarities');
    if (topic(keybert, t.id).join() !== topic(mmr, t.id).join()) differ++;
  }
  assert.ok(differ > 0, 'KeyBERT words differ from MMR\'s');

  const reduced = path.join(work, 'reduced');
  r = cli(['reduce', fit, '--out', reduced, '--quiet', '--nr-topics', '4']);
  assert.equal(r.code, 0, r.err);
  const red = topicsOf(reduced);
  assert.equal(red.config.representation.method, 'mmr', 'reduce keeps the fit\'s representation');
  assert.equal(red.hierarchy!.length, red.n_topics - 1);
});
