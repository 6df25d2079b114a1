/**
 * `topicstream report` without a browser: a fit without timestamps gives a report without the
 * over-time figure (and no stale topics_over_time.json), the page loads nothing from elsewhere,
 * and a folder that is no fit output is a clear error. The figures themselves: test/browser/.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from '../helpers/paths.js';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'warn' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const work = mkdtempSync(path.join(tmpdir(), 'ts-report-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('fit with and without ts: topics_over_time.json follows, and the report shows over time only with it', () => {
  const fixture = path.join(ROOT, 'test', 'fixtures', 'cli', 'tweets-60.jsonl');
  const out = path.join(work, 'fit');
  assert.equal(cli(['fit', fixture, '--out', out, '--quiet', '--min-cluster-size', '5']).code, 0);
  const tot = JSON.parse(readFileSync(path.join(out, 'topics_over_time.json'), 'utf8')) as { nr_bins: number; topics: Array<{ counts: number[] }> };
  assert.equal(tot.topics.reduce((s, t) => s + t.counts.reduce((a, b) => a + b, 0), 0), 60, 'every document in one bin');
  assert.ok(tot.topics.every((t) => t.counts.length === tot.nr_bins));

  const noTs = path.join(work, 'no-ts.jsonl');
  const lines = readFileSync(fixture, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  writeFileSync(noTs, lines.map(({ ts: _ts, ...rest }) => JSON.stringify(rest)).join('\n') + '\n');
  assert.equal(cli(['fit', noTs, '--out', out, '--quiet', '--min-cluster-size', '5']).code, 0);
  assert.ok(!existsSync(path.join(out, 'topics_over_time.json')), 'no stale topics over time from the earlier fit');

  const html = path.join(work, 'r.html');
  const r = cli(['report', out, '--out', html]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /wrote .*r\.html/);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /id="map"/);
  assert.doesNotMatch(page, /id="over-time"/);
  assert.match(page, /no <code>ts<\/code>/);
  const markup = page.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');
  assert.equal((markup.match(/<script\b/g) ?? []).length, 3, 'the data, ECharts and the page script, inline');
  assert.ok(!/\b(src|href)=/i.test(markup), 'no element loads anything');
});

test('report on a folder that is not a fit output: exit 2 and a message naming it', () => {
  const r = cli(['report', work]);
  assert.equal(r.code, 2);
  assert.match(r.err, /is not the output folder of `topicstream fit/);
});
