/**
 * The batch toolbox end to end: `fit --embeddings` (a .npy file, a fit output folder), `refit`,
 * `reduce` and the toolbox flags on `fit`. On the toolbox fixture (400 posts of 20 Newsgroups with
 * their embeddings by the real model, test/fixtures/toolbox/), so nothing is embedded here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, FIXTURES, ROOT } from '../helpers/paths.js';
import { readNpy, writeNpy } from '../../src/model/npy.js';
import { createMatrix } from '../../src/core/types.js';
import type { TopicsFile } from '../../src/model/outputs.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'warn' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const work = mkdtempSync(path.join(tmpdir(), 'ts-toolbox-'));
const DOCS = path.join(FIXTURES, 'toolbox', 'docs.jsonl.gz');
const NPY = path.join(FIXTURES, 'toolbox', 'embeddings.npy');
const fitDir = path.join(work, 'fit');
const topicsOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'topics.json'), 'utf8')) as TopicsFile & Record<string, unknown>;
const assignmentsOf = (dir: string) => readFileSync(path.join(dir, 'assignments.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; topic: number });

test('fit --embeddings FILE.npy reuses the vectors: nothing is embedded, the snapshot holds them', () => {
  const r = cli(['fit', DOCS, '--embeddings', NPY, '--out', fitDir, '--min-cluster-size', '5']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /reusing 400 x 384 embeddings/);
  assert.doesNotMatch(r.err, /embed:/, 'no embedding stage');
  const stored = new Float32Array(readFileSync(path.join(fitDir, 'model', 'embeddings.f32')).buffer.slice(0));
  assert.deepEqual(stored, readNpy(NPY).data);
  assert.equal(topicsOf(fitDir).n_docs, 400);
});

test('fit --embeddings DIR matches rows by id; wrong counts and ids are clear errors', () => {
  const again = path.join(work, 'again');
  const r = cli(['fit', DOCS, '--embeddings', fitDir, '--out', again, '--min-cluster-size', '5', '--quiet']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(assignmentsOf(again), assignmentsOf(fitDir), 'same vectors, same seed: same topics');

  const fewer = cli(['fit', DOCS, '--limit', '100', '--embeddings', fitDir, '--quiet']);
  assert.equal(fewer.code, 2);
  assert.match(fewer.err, /holds 400 documents, the input has 100/);
  const short = path.join(work, 'short.npy');
  writeNpy(short, createMatrix(3, 4, new Float32Array(12)));
  const rows = cli(['fit', DOCS, '--embeddings', short, '--quiet']);
  assert.equal(rows.code, 2);
  assert.match(rows.err, /short\.npy has 3 rows for 400 documents/);
  const other = path.join(work, 'other.jsonl');
  writeFileSync(other, readFileSync(path.join(fitDir, 'model', 'docs.jsonl'), 'utf8').replace('"id":"train/', '"id":"x/'));
  const ids = cli(['fit', other, '--embeddings', fitDir, '--quiet']);
  assert.equal(ids.code, 2);
  assert.match(ids.err, /1 document ids of the input are not in .*\("x\//);
});

test('refit clusters the stored embeddings again with other options, keeping the others', () => {
  const out = path.join(work, 'refit');
  const r = cli(['refit', fitDir, '--out', out, '--min-cluster-size', '15']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /embed:/);
  const t = topicsOf(out);
  const config = t.config as { hdbscan: { minClusterSize: number }; seed: number };
  assert.equal(config.hdbscan.minClusterSize, 15);
  assert.ok(t.n_topics < topicsOf(fitDir).n_topics, `${t.n_topics} topics with min_cluster_size 15`);
  assert.ok(t.topics.filter((x) => x.id >= 0).every((x) => x.size >= 15));
  assert.equal(t.n_docs, 400);
  const missing = cli(['refit', path.join(work, 'nope'), '--out', out]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no model\/manifest\.json/);
});

test('reduce --nr-topics N and --reduce-outliers on a fit output; fit --nr-topics auto --reduce-outliers', () => {
  const fewer = path.join(work, 'fewer');
  const r = cli(['reduce', fitDir, '--nr-topics', '4', '--out', fewer]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /topics \d+ -> 3, outliers/);
  const t = topicsOf(fewer);
  assert.equal(t.n_topics, 3, 'N counts the outlier topic, as in BERTopic');
  assert.equal(t.reduced_from, fitDir);
  assert.deepEqual(t.toolbox, { topics_before: topicsOf(fitDir).n_topics, topics_after: 3, outliers_before: t.outliers, outliers_after: t.outliers });
  assert.equal(t.outliers, topicsOf(fitDir).outliers);
  assert.deepEqual(t.topics.map((x) => x.id), [-1, 0, 1, 2]);
  assert.ok(t.topics[1]!.size >= t.topics[2]!.size && t.topics[2]!.size >= t.topics[3]!.size, 'renumbered by size');

  const none = path.join(work, 'none');
  const o = cli(['reduce', fitDir, '--reduce-outliers', 'c-tf-idf', '--out', none, '--quiet']);
  assert.equal(o.code, 0, o.err);
  assert.equal(topicsOf(none).outliers, 0);
  const before = assignmentsOf(fitDir);
  assignmentsOf(none).forEach((a, i) => before[i]!.topic >= 0 && assert.equal(a.topic, before[i]!.topic, 'topics keep their documents and ids'));

  const both = path.join(work, 'both');
  const f = cli(['fit', DOCS, '--embeddings', NPY, '--out', both, '--nr-topics', 'auto', '--reduce-outliers', 'embeddings', '--threshold', '0.3', '--quiet']);
  assert.equal(f.code, 0, f.err);
  const cfg = topicsOf(both).config as { toolbox: Record<string, unknown> };
  assert.deepEqual([cfg.toolbox.nrTopics, cfg.toolbox.reduceOutliers, cfg.toolbox.outlierThreshold], ['auto', 'embeddings', 0.3]);
  assert.ok(topicsOf(both).outliers < topicsOf(fitDir).outliers);
});

test('usage errors: bad --nr-topics, reduce with nothing to do, --help of the new commands', () => {
  const bad = cli(['fit', DOCS, '--nr-topics', 'many']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--nr-topics must be an integer >= 2 or auto/);
  const nothing = cli(['reduce', fitDir, '--out', path.join(work, 'x')]);
  assert.equal(nothing.code, 2);
  assert.match(nothing.err, /nothing to do: give --nr-topics or --reduce-outliers/);
  for (const c of ['refit', 'reduce']) {
    const h = cli([c, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, new RegExp(`Usage: topicstream ${c}`));
    assert.match(h.out, /--reduce-outliers S/);
  }
});
