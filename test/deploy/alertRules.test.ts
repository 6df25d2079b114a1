// The Prometheus alert rules (deploy/prometheus/alerts.yml) pass their promtool unit tests
// (alerts.test.yml: TopicStrongSignal and the others). promtool comes with the Prometheus that
// test/deploy/prometheusScrape.test.ts runs: Debian's package (scripts/checks/run-checks.sh installs
// it, .ci/run runs that first), or the promtool next to PROMETHEUS_BIN, or PROMTOOL_BIN. Without it
// the test fails: the rules would otherwise go untested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/paths.js';

const PROMTOOL = process.env.PROMTOOL_BIN ?? path.join(path.dirname(process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus'), 'promtool');
const RULES = path.join(ROOT, 'deploy', 'prometheus');

function promtool(...args: string[]): string {
  assert.ok(
    existsSync(PROMTOOL),
    `no promtool at ${PROMTOOL}: run scripts/checks/run-checks.sh (installs Debian's prometheus package), or set PROMTOOL_BIN (or PROMETHEUS_BIN, with promtool beside it)`,
  );
  const r = spawnSync(PROMTOOL, args, { cwd: RULES, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `promtool ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

test('promtool accepts the alert rules, and their unit tests (alerts.test.yml) pass', () => {
  assert.match(promtool('check', 'rules', 'alerts.yml'), /SUCCESS: \d+ rules found/);
  assert.match(promtool('test', 'rules', 'alerts.test.yml'), /SUCCESS/);
});

test('alerts.test.yml tests TopicStrongSignal firing and not firing', () => {
  const tests = readFileSync(path.join(RULES, 'alerts.test.yml'), 'utf8');
  const evals = [...tests.matchAll(/alertname: TopicStrongSignal\n\s+exp_alerts:( \[\])?/g)];
  assert.ok(evals.some((m) => m[1]), 'a TopicStrongSignal evaluation that expects no alert');
  assert.ok(evals.some((m) => !m[1]), 'a TopicStrongSignal evaluation that expects alerts');
});
