// The metric-name extraction behind scripts/checks/check-metric-names.mjs, and the check itself on
// the shipped dashboard and alert rules (the layout and name checks; promtool runs in run-checks.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/paths.js';
import { StreamMetrics } from '../../src/stream/streamMetrics.js';

interface Expr {
  where: string;
  expr: string;
  kind: 'promql' | 'templating';
}
interface PromqlNames {
  metricNames(expr: string): string[];
  expandGrafanaVariables(expr: string): string;
  templatingMetricNames(query: string): string[];
  exportedSeriesNames(metrics: ReadonlyArray<{ name: string; type: unknown }>): Set<string>;
  dashboardExpressions(d: unknown): Expr[];
  unknownNames(e: Expr[], exported: Set<string>): Array<{ where: string; name: string | null }>;
}

const lib = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'checks', 'lib', 'promql-names.mjs')).href)) as PromqlNames;
const sorted = (a: string[]) => [...a].sort();

test('metric names: functions, aggregations, matchers, ranges and grouping are not names', () => {
  assert.deepEqual(
    sorted(lib.metricNames('histogram_quantile(0.99, sum by (le, job) (rate(topicstream_assignment_latency_seconds_bucket{job=~"$job", le!="+Inf"}[5m])))')),
    ['topicstream_assignment_latency_seconds_bucket'],
  );
  assert.deepEqual(
    sorted(lib.metricNames('sum by (job) (rate(a_total[10m])) / on (job) group_left(instance) sum by (job) (rate(b_total[10m] offset 1h)) > 0.05 and bool c')),
    ['a_total', 'b_total', 'c'],
  );
  assert.deepEqual(lib.metricNames('up{job="x"} == 0 unless absent(foo:recorded)'), ['up', 'foo:recorded']);
  assert.deepEqual(lib.metricNames('max_over_time(x[1h:5m]) * 1e3 + Inf'), ['x']);
  // a label value that looks like a metric is not one
  assert.deepEqual(lib.metricNames('y{method="knn", reason=~"oversize|not_json"}'), ['y']);
});

test('metric names: Grafana variables and templating queries', () => {
  assert.equal(lib.expandGrafanaVariables('rate(x[$__rate_interval]) / $__range_s'), 'rate(x[1m]) / 3600');
  assert.deepEqual(lib.templatingMetricNames('label_values(topicstream_documents_consumed_total{job=~"$job"}, instance)'), ['topicstream_documents_consumed_total']);
  assert.deepEqual(lib.templatingMetricNames('label_values(job)'), []);
});

test('exported series names follow the Prometheus exposition of each metric type', () => {
  const names = lib.exportedSeriesNames([
    { name: 'h_seconds', type: 'histogram' },
    { name: 'c_total', type: 'counter' },
    { name: 'g', type: 'gauge' },
  ]);
  assert.deepEqual(sorted([...names]), ['c_total', 'g', 'h_seconds_bucket', 'h_seconds_count', 'h_seconds_sum']);
});

test('the shipped dashboard names only metrics the service exports', async () => {
  const exported = lib.exportedSeriesNames(await new StreamMetrics().registry.getMetricsAsJSON());
  const d = JSON.parse(readFileSync(path.join(ROOT, 'deploy', 'grafana', 'dashboards', 'topicstream.json'), 'utf8')) as unknown;
  const exprs = lib.dashboardExpressions(d);
  assert.ok(exprs.length > 20, `expected the dashboard's queries, found ${exprs.length}`);
  assert.deepEqual(lib.unknownNames(exprs, exported), []);
  // and the check does catch a misspelt metric
  const bad = [{ where: 'panel x', expr: 'rate(topicstream_documents_consumd_total[1m])', kind: 'promql' as const }];
  assert.deepEqual(
    lib.unknownNames(bad, exported).map((p) => p.name),
    ['topicstream_documents_consumd_total'],
  );
});
