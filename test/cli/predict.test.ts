/**
 * `topicstream predict` end to end with the real model: a fit of the toolbox fixture (its stored
 * embeddings), topics reduced to 5, then 40 of its posts embedded again and predicted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, FIXTURES, ROOT } from '../helpers/paths.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'warn' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as { id: string; topic: number; probability: number });

const work = mkdtempSync(path.join(tmpdir(), 'ts-predict-'));
const DOCS = path.join(FIXTURES, 'toolbox', 'docs.jsonl.gz');
const fitDir = path.join(work, 'fit');
const reduced = path.join(work, 'reduced');

test('predict puts fitted posts back in their topics, through the topic reduction', () => {
  let r = cli(['fit', DOCS, '--embeddings', path.join(FIXTURES, 'toolbox', 'embeddings.npy'), '--out', fitDir, '--min-cluster-size', '5', '--quiet']);
  assert.equal(r.code, 0, r.err);
  r = cli(['reduce', fitDir, '--nr-topics', '5', '--out', reduced, '--quiet']);
  assert.equal(r.code, 0, r.err);
  const input = path.join(work, 'some.jsonl');
  const docs = readFileSync(path.join(fitDir, 'model', 'docs.jsonl'), 'utf8').trim().split('\n').filter((_, i) => i % 10 === 0);
  writeFileSync(input, docs.join('\n') + '\n');
  const out = path.join(work, 'predicted.jsonl');
  r = cli(['predict', reduced, input, '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /embed: 100%/);
  assert.match(r.err, /40 documents: \d+ in \d+ topics, \d+ outliers; wrote/);
  const predicted = lines(readFileSync(out, 'utf8'));
  const fitted = new Map(lines(readFileSync(path.join(reduced, 'assignments.jsonl'), 'utf8')).map((a) => [a.id, a.topic]));
  assert.deepEqual(predicted.map((p) => p.id), docs.map((d) => (JSON.parse(d) as { id: string }).id));
  let clustered = 0;
  let same = 0;
  for (const p of predicted) {
    assert.ok(p.topic >= -1 && p.topic <= 3, `topic ${p.topic}: the reduced model has topics 0-3`);
    assert.ok(p.probability >= 0 && p.probability <= 1 && (p.topic === -1) === (p.probability === 0));
    if (fitted.get(p.id)! < 0) continue;
    clustered++;
    if (p.topic === fitted.get(p.id)) same++;
  }
  assert.ok(same / clustered >= 0.8, `${same} of ${clustered} clustered posts predicted in their topic`);
  const stdout = cli(['predict', reduced, input, '--limit', '3', '--quiet']);
  assert.equal(stdout.code, 0, stdout.err);
  assert.equal(lines(stdout.out).length, 3, 'without --out: JSON Lines on stdout');
});

test('predict on a folder without an HDBSCAN model says how to get one', () => {
  const old = path.join(work, 'old');
  cpSync(fitDir, old, { recursive: true });
  rmSync(path.join(old, 'model', 'hdbscan.json'));
  const r = cli(['predict', old, DOCS, '--limit', '2']);
  assert.equal(r.code, 2);
  assert.match(r.err, /has no HDBSCAN model .* run `topicstream refit/);
  const help = cli(['predict', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: topicstream predict <fit output DIR>/);
});
