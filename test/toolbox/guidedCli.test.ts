/**
 * `fit --zero-shot` and `refit --seed-topics` through the CLI on the toolbox fixture (stored
 * embeddings; the names and seed topics are embedded by the model started for them): the documents
 * of the named topics are the ones BERTopic matched (test/fixtures/toolbox/guided.json), the named
 * topics keep their names as labels, topics.json records the guidance, and predict reads the fit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, FIXTURES, ROOT } from '../helpers/paths.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'warn' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const DIR = path.join(FIXTURES, 'toolbox');
const fx = JSON.parse(readFileSync(path.join(DIR, 'guided.json'), 'utf8')) as {
  zeroshot: { names: string[]; min_similarity: number; topics: number[] };
  guided: { seeds: string[][]; y: number[] };
};
const work = mkdtempSync(path.join(tmpdir(), 'ts-guided-'));
interface Topics { topics: Array<{ id: number; label: string; size: number }>; guidance?: Record<string, Record<string, unknown>> }
const topicsOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'topics.json'), 'utf8')) as Topics;
const assignments = (dir: string) => readFileSync(path.join(dir, 'assignments.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { topic: number }).topic);

test('fit --zero-shot: BERTopic\'s documents in the named topics, named; refit --seed-topics nudges BERTopic\'s documents; predict reads the fit', () => {
  const fit = path.join(work, 'fit');
  const z = fx.zeroshot;
  let r = cli(['fit', path.join(DIR, 'docs.jsonl.gz'), '--embeddings', path.join(DIR, 'embeddings.npy'), '--out', fit, '--quiet', '--zero-shot', z.names.join(','), '--zero-shot-similarity', String(z.min_similarity)]);
  assert.equal(r.code, 0, r.err);
  const ours = assignments(fit);
  const named = (t: number) => (t >= 0 && t < z.names.length ? t : -2);
  assert.deepEqual(ours.map(named), z.topics.map(named));
  const out = topicsOf(fit);
  for (let i = 0; i < z.names.length; i++) assert.equal(out.topics.find((t) => t.id === i)!.label, z.names[i]);
  assert.equal(out.guidance!.zero_shot!.matched_docs, z.topics.filter((t) => named(t) >= 0).length);

  const refit = path.join(work, 'refit');
  const seeds = fx.guided.seeds.map((s) => s.join(' ')).join('; ');
  r = cli(['refit', fit, '--out', refit, '--quiet', '--seed-topics', seeds]);
  assert.equal(r.code, 0, r.err);
  const g = topicsOf(refit).guidance!;
  assert.deepEqual(g.seed_topics, fx.guided.seeds);
  // nudged on the embeddings, then zero-shot on the nudged ones (the fit's names are kept by refit)
  assert.equal(g.nudged_docs, fx.guided.y.filter((y) => y >= 0).length);
  assert.ok(g.zero_shot, 'refit keeps the fit\'s zero-shot topics');

  r = cli(['predict', fit, path.join(DIR, 'docs.jsonl.gz'), '--out', path.join(work, 'pred.jsonl'), '--limit', '20', '--quiet']);
  assert.equal(r.code, 0, r.err);
});
