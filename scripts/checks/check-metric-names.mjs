#!/usr/bin/env node
// Checks that every PromQL expression of the Grafana dashboards and the Prometheus alert rules
// names only metrics the service exports. The exported names come from the service itself: the
// compiled StreamMetrics (dist/src/stream/streamMetrics.js) is instantiated and its registry read.
// Also checks the dashboards' layout (unique panel ids, panels inside the 24-column grid, no
// overlaps) and, with --promtool BIN, the PromQL syntax of the dashboard queries.
//
// Usage: node scripts/checks/check-metric-names.mjs [--promtool /usr/bin/promtool]
// Needs `npx tsc -p tsconfig.json` first, and python3 with PyYAML to read the rule files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dashboardExpressions, expandGrafanaVariables, exportedSeriesNames, metricNames, ruleExpressions, templatingMetricNames, unknownNames } from './lib/promql-names.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DASHBOARDS = path.join(ROOT, 'deploy', 'grafana', 'dashboards');
const RULE_FILES = [path.join(ROOT, 'deploy', 'prometheus', 'alerts.yml')];
const METRICS_JS = path.join(ROOT, 'dist', 'src', 'stream', 'streamMetrics.js');

function readYaml(file) {
  const r = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot read ${file} as YAML (python3 with PyYAML is needed): ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout);
}

async function exportedNames() {
  if (!existsSync(METRICS_JS)) throw new Error(`${path.relative(ROOT, METRICS_JS)} is missing: build first (npx tsc -p tsconfig.json)`);
  const { StreamMetrics } = await import(pathToFileURL(METRICS_JS).href);
  const metrics = await new StreamMetrics().registry.getMetricsAsJSON();
  return { series: exportedSeriesNames(metrics), metrics };
}

/** Layout problems of one dashboard: duplicate ids, panels off the grid, overlapping panels. */
function layoutProblems(d, file) {
  const out = [];
  const seen = new Set();
  const boxes = [];
  const all = [];
  for (const p of d.panels ?? []) {
    all.push(p);
    for (const c of p.panels ?? []) all.push(c);
  }
  for (const p of all) {
    if (seen.has(p.id)) out.push(`${file}: panel id ${p.id} is used twice`);
    seen.add(p.id);
    const g = p.gridPos;
    if (!g) {
      out.push(`${file}: panel ${p.id} "${p.title}" has no gridPos`);
      continue;
    }
    if (g.x < 0 || g.w <= 0 || g.h <= 0 || g.x + g.w > 24) out.push(`${file}: panel ${p.id} "${p.title}" lies outside the 24-column grid`);
    for (const b of boxes) {
      if (g.x < b.x + b.w && b.x < g.x + g.w && g.y < b.y + b.h && b.y < g.y + g.h) out.push(`${file}: panels ${b.id} and ${p.id} overlap`);
    }
    boxes.push({ ...g, id: p.id });
    if (p.type !== 'row' && !(p.targets ?? []).length) out.push(`${file}: panel ${p.id} "${p.title}" has no query`);
  }
  return out;
}

/** Runs `promtool check rules` on a rule file made of the dashboard's queries (syntax only). */
function promtoolSyntax(promtool, expressions) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-dash-'));
  try {
    const promql = expressions.filter((e) => e.kind === 'promql');
    const rules = promql.map((e, i) => `      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(expandGrafanaVariables(e.expr))}`);
    const file = path.join(dir, 'dashboard-queries.yml');
    writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
    const r = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
    if (r.status !== 0) return [`promtool rejects a dashboard query:\n${r.stdout}${r.stderr}`];
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const args = process.argv.slice(2);
  const pi = args.indexOf('--promtool');
  const promtool = pi >= 0 ? args[pi + 1] : undefined;

  const { series, metrics } = await exportedNames();
  const problems = [];
  const used = new Set();
  const allExpressions = [];

  const dashFiles = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));
  if (!dashFiles.length) problems.push(`no dashboard JSON in ${path.relative(ROOT, DASHBOARDS)}`);
  for (const f of dashFiles) {
    const rel = path.relative(ROOT, path.join(DASHBOARDS, f));
    const d = JSON.parse(readFileSync(path.join(DASHBOARDS, f), 'utf8'));
    problems.push(...layoutProblems(d, rel));
    const exprs = dashboardExpressions(d).map((e) => ({ ...e, where: `${rel}: ${e.where}` }));
    allExpressions.push(...exprs);
    if (promtool) problems.push(...promtoolSyntax(promtool, exprs));
  }
  for (const file of RULE_FILES) {
    const rel = path.relative(ROOT, file);
    allExpressions.push(...ruleExpressions(readYaml(file)).map((e) => ({ ...e, where: `${rel}: ${e.where}` })));
  }

  for (const p of unknownNames(allExpressions, series)) {
    problems.push(p.name === null ? `${p.where}: names no metric: ${p.expr}` : `${p.where}: "${p.name}" is not exported by the service`);
  }
  for (const e of allExpressions) for (const n of e.kind === 'templating' ? templatingMetricNames(e.expr) : metricNames(expandGrafanaVariables(e.expr))) used.add(n);

  const own = metrics.filter((x) => !/^topicstream_(process|nodejs)_/.test(x.name));
  const unused = own.filter((x) => ![...exportedSeriesNames([x])].some((s) => used.has(s))).map((x) => x.name);
  console.log(`${allExpressions.length} expressions in ${dashFiles.length} dashboard(s) and ${RULE_FILES.length} rule file(s); ${series.size} exported series names`);
  if (unused.length) console.log(`service metrics on no panel or rule: ${unused.join(', ')}`);
  if (problems.length) {
    console.error(`FAILED:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('OK: every query names an exported metric' + (promtool ? ', and promtool parses every dashboard query' : ''));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
