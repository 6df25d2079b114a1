// Metric names referenced by a PromQL expression, without a full PromQL parser: strings, label
// matchers, ranges and grouping clauses are cut out, then every identifier that is not followed by
// "(" (a function or aggregation) and is not a keyword is a metric name. Enough for the
// expressions of a dashboard and alert rules; promtool checks their syntax separately.

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan', 'start', 'end', 'atan2']);

/** Replaces Grafana's interval variables by durations, so the expression is plain PromQL. */
export function expandGrafanaVariables(expr) {
  // longest names first: $__range_s before $__range, $__interval_ms before $__interval
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, '1m')
    .replace(/\$__interval_ms|\$\{__interval_ms\}/g, '60000')
    .replace(/\$__interval|\$\{__interval\}/g, '1m')
    .replace(/\$__range_s|\$\{__range_s\}/g, '3600')
    .replace(/\$__range_ms|\$\{__range_ms\}/g, '3600000')
    .replace(/\$__range|\$\{__range\}/g, '1h');
}

/** Metric names in one PromQL expression (Grafana variables allowed inside strings and ranges). */
export function metricNames(expr) {
  let s = expr;
  s = s.replace(/#[^\n]*/g, ' '); // comments
  s = s.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""'); // string literals
  s = s.replace(/\{[^{}]*\}/g, ' '); // label matchers (strings are gone, so no braces nest)
  s = s.replace(/\[[^\][]*\]/g, ' '); // ranges and subqueries
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, ' '); // label lists
  s = s.replace(/\boffset\s+-?[\w$]+/g, ' ');
  s = s.replace(/@\s*[\w.]+(\(\))?/g, ' ');
  const names = new Set();
  const re = /(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const [, id, call] = m;
    if (call || KEYWORDS.has(id.toLowerCase())) continue;
    // numbers such as 1e3 never match (they start with a digit); 'Inf' and 'NaN' are keywords
    names.add(id);
  }
  return [...names];
}

/** Grafana's label_values(metric, label) / label_values(label) / metrics(re) / query_result(expr). */
export function templatingMetricNames(query) {
  const q = query.trim();
  const lv = /^label_values\s*\((.*)\)\s*$/s.exec(q);
  if (lv) {
    const args = lv[1];
    const comma = args.lastIndexOf(',');
    return comma < 0 ? [] : metricNames(args.slice(0, comma));
  }
  const qr = /^query_result\s*\((.*)\)\s*$/s.exec(q);
  if (qr) return metricNames(expandGrafanaVariables(qr[1]));
  if (/^(label_names|metrics)\s*\(/.test(q)) return [];
  return metricNames(expandGrafanaVariables(q));
}

/**
 * The series names a Prometheus scrape of a prom-client registry yields: counters as named
 * (prom-client names them ..._total), histograms as _bucket/_sum/_count, summaries as the name
 * plus _sum/_count. `metrics` is registry.getMetricsAsJSON().
 */
export function exportedSeriesNames(metrics) {
  const out = new Set();
  for (const { name, type } of metrics) {
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(name + s);
    else if (type === 'summary') for (const s of ['', '_sum', '_count']) out.add(name + s);
    else out.add(name);
  }
  return out;
}

/** Series Prometheus adds to every target or rule evaluation itself. */
export const PROMETHEUS_SERIES = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
]);

/** Every PromQL expression of a Grafana dashboard, with where it was found. */
export function dashboardExpressions(dashboard) {
  const out = [];
  const visit = (panels, where) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) if (typeof t.expr === 'string' && t.expr.trim()) out.push({ where: `${where}panel ${p.id} "${p.title}" ${t.refId ?? ''}`.trim(), expr: t.expr, kind: 'promql' });
      if (p.panels) visit(p.panels, `${where}row "${p.title}" > `);
    }
  };
  visit(dashboard.panels, '');
  for (const a of dashboard.annotations?.list ?? []) if (typeof a.expr === 'string' && a.expr.trim()) out.push({ where: `annotation "${a.name}"`, expr: a.expr, kind: 'promql' });
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (typeof q === 'string' && q.trim()) out.push({ where: `variable $${v.name}`, expr: q, kind: 'templating' });
  }
  return out;
}

/** Every expression of a Prometheus rule file (parsed YAML). */
export function ruleExpressions(ruleFile) {
  const out = [];
  for (const g of ruleFile.groups ?? []) for (const r of g.rules ?? []) out.push({ where: `group ${g.name} ${r.alert ? 'alert ' + r.alert : 'record ' + r.record}`, expr: String(r.expr), kind: 'promql' });
  return out;
}

/** Names used by the expressions that are neither exported nor added by Prometheus. */
export function unknownNames(expressions, exported) {
  const problems = [];
  for (const e of expressions) {
    const names = e.kind === 'templating' ? templatingMetricNames(e.expr) : metricNames(expandGrafanaVariables(e.expr));
    if (names.length === 0 && e.kind === 'promql') problems.push({ where: e.where, name: null, expr: e.expr });
    for (const n of names) if (!exported.has(n) && !PROMETHEUS_SERIES.has(n)) problems.push({ where: e.where, name: n, expr: e.expr });
  }
  return problems;
}
