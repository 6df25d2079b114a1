/**
 * `topicstream fit` and `eval` end to end, with the real model, on the shipped 20 Newsgroups sample
 * (a slice of it, so the test stays short on a 2-core machine).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from '../helpers/paths.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 15 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'warn' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const work = mkdtempSync(path.join(tmpdir(), 'ts-fit-'));
const out = path.join(work, 'out');

test('fit writes topics.json, assignments.jsonl and a model snapshot, and prints the topic table', () => {
  const r = cli(['fit', path.join(ROOT, 'data', '20ng-sample.jsonl.gz'), '--limit', '800', '--out', out, '--seed', '7']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /topic\s+size/);
  assert.match(r.out, /^\s+-1\s+\d+/m, 'outliers shown as -1');
  assert.match(r.err, /embed/, 'progress per stage on stderr');
  const topics = JSON.parse(readFileSync(path.join(out, 'topics.json'), 'utf8')) as { topics: Array<{ id: number; size: number; words: Array<{ word: string; score: number }>; label: string; representative_docs: string[] }>; n_docs: number };
  assert.equal(topics.n_docs, 800);
  const real = topics.topics.filter((t) => t.id !== -1);
  assert.ok(real.length >= 3, `found ${real.length} topics`);
  assert.equal(topics.topics.reduce((s, t) => s + t.size, 0), 800);
  for (const t of real) {
    assert.equal(t.words.length, 10, 'top_n_words 10');
    assert.ok(t.words.every((w, i) => i === 0 || w.score <= t.words[i - 1]!.score), 'words sorted by score');
    assert.ok(t.label.startsWith(`${t.id}_`));
    assert.ok(t.representative_docs.length > 0);
  }
  // topic 0 is the largest, as in BERTopic
  assert.equal(real[0]!.id, 0);
  assert.ok(real.every((t) => t.size <= real[0]!.size));
  const lines = readFileSync(path.join(out, 'assignments.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; topic: number; probability: number });
  assert.equal(lines.length, 800);
  assert.ok(lines.every((l) => typeof l.id === 'string' && Number.isInteger(l.topic) && l.probability >= 0 && l.probability <= 1));
  assert.ok(existsSync(path.join(out, 'model', 'manifest.json')));
  assert.equal(readFileSync(path.join(out, 'model', 'embeddings.f32')).length, 800 * 384 * 4);
});

test('eval reports topic quality and agreement with the labels', () => {
  const r = cli(['eval', path.join(ROOT, 'data', '20ng-sample.jsonl.gz'), '--model', out]);
  assert.equal(r.code, 0, r.err);
  const m = JSON.parse(r.out) as Record<string, number>;
  for (const k of ['n_docs', 'n_topics', 'outlier_ratio', 'npmi', 'diversity', 'nmi', 'ari']) assert.equal(typeof m[k], 'number', k);
  assert.equal(m.n_docs, 800);
  assert.ok(m.npmi! >= -1 && m.npmi! <= 1);
  assert.ok(m.diversity! > 0 && m.diversity! <= 1);
  // 20 Newsgroups topics found by a real embedding model agree with the newsgroups far above chance
  assert.ok(m.nmi! > 0.2, `nmi ${m.nmi}`);
});

test('bad input: clear messages with line numbers, good lines still used; exit codes', () => {
  const good = readFileSync(path.join(ROOT, 'test', 'fixtures', 'cli', 'tweets-60.jsonl'), 'utf8').trim().split('\n');
  const f = path.join(work, 'mixed.jsonl');
  writeFileSync(f, [good[0], 'oops {', '{"id":"x","text":""}', ...good.slice(1)].join('\n') + '\n');
  const r = cli(['fit', f, '--out', path.join(work, 'mixed'), '--quiet', '--min-cluster-size', '5']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /mixed\.jsonl:2: skipped \(not_json\)/);
  assert.match(r.err, /mixed\.jsonl:3: skipped \(empty_text\)/);
  const n = readFileSync(path.join(work, 'mixed', 'assignments.jsonl'), 'utf8').trim().split('\n').length;
  assert.equal(n, good.length);

  const missing = cli(['fit', path.join(work, 'nope.jsonl')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /input file not found: .*nope\.jsonl/);

  const allBad = path.join(work, 'bad.jsonl');
  writeFileSync(allBad, 'x\ny\n');
  const none = cli(['fit', allBad, '--quiet']);
  assert.equal(none.code, 1);
  assert.match(none.err, /no usable document/);

  const usage = cli(['fit', '--bogus']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /Usage: topicstream fit/);
});

test('--help answers for every command', () => {
  for (const c of ['fit', 'eval', 'run', 'produce', 'model']) {
    const r = cli([c, '--help']);
    assert.equal(r.code, 0, c);
    assert.match(r.out, new RegExp(`Usage: topicstream ${c}`));
  }
  const top = cli(['--help']);
  assert.match(top.out, /Commands:/);
});
