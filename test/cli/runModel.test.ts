/**
 * `topicstream run --model <fit DIR>` end to end with the real model: a small fit, then the service
 * replays later posts from a file; the first posts are assigned to the fit's topics by the k-NN vote
 * on the fit's documents (model version 0, before any refit). Another embedding model is refused with
 * a clear error; an existing state snapshot wins over --model (logged).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from '../helpers/paths.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 15 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'info' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const values = <T>(file: string): T[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { value: T }).value);
const logs = (err: string) => err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; [k: string]: unknown });

const work = mkdtempSync(path.join(tmpdir(), 'ts-run-model-'));
const fitDir = path.join(work, 'fit');
const lines = gunzipSync(readFileSync(path.join(ROOT, 'data', '20ng-sample.jsonl.gz'))).toString('utf8').trim().split('\n');
const fitInput = path.join(work, 'fit.jsonl');
const posts = path.join(work, 'posts.jsonl');
writeFileSync(fitInput, lines.slice(0, 500).join('\n') + '\n');
writeFileSync(posts, lines.slice(500, 580).join('\n') + '\n');

interface Asg { doc_id: string; topic_id: number; model_version: number; method: string }

test('run --model: the first posts are assigned to the fit\'s topics before any refit', () => {
  const fit = cli(['fit', fitInput, '--out', fitDir, '--seed', '7', '--quiet']);
  assert.equal(fit.code, 0, fit.err);
  const fitTopics = (JSON.parse(readFileSync(path.join(fitDir, 'topics.json'), 'utf8')) as { topics: Array<{ id: number; words: Array<{ word: string }> }> }).topics;
  const ids = new Set(fitTopics.filter((t) => t.id !== -1).map((t) => t.id));
  assert.ok(ids.size >= 2, `the fit found ${ids.size} topics`);

  const out = path.join(work, 'stream');
  const r = cli(['run', '--model', fitDir, '--input', posts, '--out', out, '--state-dir', path.join(work, 'state'), '--port', '0', '--refit-every', '100000', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const started = logs(r.err).find((l) => l.msg.startsWith('started from a fitted model'));
  assert.ok(started, 'logged');
  assert.equal(started.docs, 500);
  assert.equal(started.topics, ids.size);
  const asg = values<Asg>(path.join(out, 'assignments.jsonl'));
  const knn = asg.filter((a) => a.method === 'knn');
  assert.equal(knn.length, 80);
  assert.ok(knn.every((a) => a.model_version === 0), 'assigned before any refit');
  const inTopics = knn.filter((a) => ids.has(a.topic_id));
  assert.ok(knn.every((a) => a.topic_id === -1 || ids.has(a.topic_id)), 'only the fit\'s topic ids');
  assert.ok(inTopics.length >= knn.length / 2, `${inTopics.length} of ${knn.length} posts in a fitted topic at once`);
  assert.ok(knn.slice(0, 10).filter((a) => a.topic_id !== -1).length >= 5, 'from the first batch on');
  // the refit at the end of the replay keeps the fit's ids for the topics it finds again
  const updates = values<{ topic_id: number; model_version: number }>(path.join(out, 'updates.jsonl'));
  assert.deepEqual(new Set(updates.filter((u) => u.model_version === 0 && u.topic_id !== -1).map((u) => u.topic_id)), ids, 'the fit\'s topics published at start');
  assert.ok(updates.some((u) => u.model_version === 1 && ids.has(u.topic_id)), 'fit ids carried into model version 1');

  // a second start on the same state folder: the snapshot wins, and says so
  // (another file: the snapshot's offsets are for the first one, so these posts are read, answered again as duplicates)
  const posts2 = path.join(work, 'posts2.jsonl');
  cpSync(posts, posts2);
  const again = cli(['run', '--model', fitDir, '--input', posts2, '--out', path.join(work, 'stream2'), '--state-dir', path.join(work, 'state'), '--port', '0', '--quiet']);
  assert.equal(again.code, 0, again.err);
  const l = logs(again.err);
  assert.ok(l.some((x) => x.msg === 'restored state snapshot'));
  assert.ok(l.some((x) => x.msg.startsWith('a state snapshot exists: it wins over --model')));
  assert.ok(!l.some((x) => x.msg.startsWith('started from a fitted model')));
});

test('run --model refuses a fit made with another embedding model', () => {
  const other = path.join(work, 'other');
  cpSync(fitDir, other, { recursive: true });
  const mf = path.join(other, 'model', 'manifest.json');
  writeFileSync(mf, JSON.stringify({ ...JSON.parse(readFileSync(mf, 'utf8')), model_id: 'someone/other-model' }));
  const r = cli(['run', '--model', other, '--input', posts, '--out', path.join(work, 'stream3'), '--state-dir', path.join(work, 'state3'), '--port', '0', '--quiet']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /fitted on embeddings of someone\/other-model \(384-d\), but this service embeds with sentence-transformers\/all-MiniLM-L6-v2/);
});

test('run --help shows --model', () => {
  const r = cli(['run', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /--model DIR/);
});
