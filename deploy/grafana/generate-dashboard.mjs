#!/usr/bin/env node
// Writes deploy/grafana/dashboards/topicstream.json, the provisioned Grafana dashboard.
// The JSON is generated so that panel ids, grid positions and label selectors stay consistent;
// edit the panels here, then run `node deploy/grafana/generate-dashboard.mjs`.
// `--check` exits 1 when the committed JSON differs from what this script generates.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dashboards', 'topicstream.json');

/** Panels and targets use the dashboard's datasource variable, so the JSON also imports elsewhere. */
const DS = { type: 'prometheus', uid: '${datasource}' };
/** Every query is scoped to the selected jobs and instances. */
const SEL = 'job=~"$job", instance=~"$instance"';
const m = (name, extra = '') => `${name}{${SEL}${extra ? ', ' + extra : ''}}`;
const rate = (name, extra = '', range = '$__rate_interval') => `rate(${m(name, extra)}[${range}])`;
const quantile = (q, name, by = '') => `histogram_quantile(${q}, sum by (le${by ? ', ' + by : ''}) (${rate(name)}))`;
/** One series per active topic with its label (and top words): the service's topicstream_topic_info. */
const topicInfo = (by = 'topic, label') => `max by (${by}) (${m('topicstream_topic_info')})`;
/** Names a per-topic expression (grouped by topic) by the topic's label, for `{{label}}` legends. */
const named = (expr) => `${expr} * on (topic) group_left(label) ${topicInfo()}`;

let nextId = 1;
let y = 0;

function target(expr, legendFormat, extra = {}) {
  return { datasource: DS, expr, legendFormat, range: true, ...extra };
}

function withRefIds(targets) {
  return targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t }));
}

function timeseries({ title, description, w, h = 8, x, unit = 'short', targets, stack = false, bars = false, min = 0, overrides = [] }) {
  return {
    id: nextId++,
    type: 'timeseries',
    title,
    description,
    datasource: DS,
    gridPos: { h, w, x, y },
    fieldConfig: {
      defaults: {
        unit,
        // null: let Grafana pick the axis minimum (for series that can go negative)
        ...(min === null ? {} : { min }),
        custom: {
          drawStyle: bars ? 'bars' : 'line',
          lineWidth: 1,
          fillOpacity: stack || bars ? 60 : 10,
          showPoints: 'never',
          spanNulls: true,
          stacking: { mode: stack ? 'normal' : 'none', group: 'A' },
        },
      },
      overrides,
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    targets: withRefIds(targets),
  };
}

function stat({ title, description, w = 3, h = 4, x, unit = 'short', expr, decimals, thresholds }) {
  return {
    id: nextId++,
    type: 'stat',
    title,
    description,
    datasource: DS,
    gridPos: { h, w, x, y },
    fieldConfig: {
      defaults: {
        unit,
        ...(decimals === undefined ? {} : { decimals }),
        color: { mode: 'thresholds' },
        thresholds: thresholds ?? { mode: 'absolute', steps: [{ color: 'green', value: null }] },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'value',
      graphMode: 'area',
      justifyMode: 'auto',
      textMode: 'auto',
      orientation: 'auto',
    },
    targets: withRefIds([target(expr, '', { instant: false })]),
  };
}

/** Instant queries merged into one table on their common labels; `columns` renames, `hidden` drops. */
function table({ title, description, w, h = 8, x, targets, columns = {}, hidden = [], sortBy, overrides = [] }) {
  return {
    id: nextId++,
    type: 'table',
    title,
    description,
    datasource: DS,
    gridPos: { h, w, x, y },
    fieldConfig: { defaults: { custom: { align: 'auto' } }, overrides },
    options: { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' }, ...(sortBy ? { sortBy: [{ displayName: sortBy, desc: true }] } : {}) },
    transformations: [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: Object.fromEntries(hidden.map((k) => [k, true])), indexByName: {}, renameByName: columns } },
    ],
    targets: withRefIds(targets),
  };
}

/** The fastest growing topics and forming topics (topic="forming-<id>") with their signal (topicstream_topic_growth, _signal). */
function risingNow() {
  const growth = `max by (topic, label) (${m('topicstream_topic_growth')})`;
  const top = `topk(10, ${growth})`;
  const instant = { format: 'table', instant: true, range: false };
  const signal = (value, text, color) => ({ [value]: { text, color, index: value + 1 } });
  return table({
    title: 'Rising now',
    description:
      "The 10 fastest growing topics after the last batch, and their signal (stream.trend): growth is a topic's share of the newest documents over its share of the longer past (1 = as popular as before); a forming topic (topic forming-<id>, not yet made a topic by a refit) shows its share of the posts since its first. Alert TopicStrongSignal fires on a strong signal; sample posts in /api/trending",
    x: 0,
    w: 24,
    h: 8,
    targets: [
      target(top, '{{label}}', instant),
      target(`max by (topic, label) (${m('topicstream_topic_signal')}) and on (topic, label) ${top}`, '{{label}}', instant),
    ],
    columns: { 'Value #A': 'growth', 'Value #B': 'signal' },
    hidden: ['Time'],
    sortBy: 'growth',
    overrides: [
      { matcher: { id: 'byName', options: 'growth' }, properties: [{ id: 'decimals', value: 2 }] },
      {
        matcher: { id: 'byName', options: 'signal' },
        properties: [
          { id: 'mappings', value: [{ type: 'value', options: { ...signal(-1, 'fading', 'blue'), ...signal(0, 'stable', 'text'), ...signal(1, 'weak', 'orange'), ...signal(2, 'strong', 'red') } }] },
          { id: 'custom.cellOptions', value: { type: 'color-text' } },
        ],
      },
    ],
  });
}

function row(title) {
  const r = { id: nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] };
  y += 1;
  return r;
}

/** Lays out panels left to right on one grid row, then moves y below the tallest. */
function line(...panels) {
  y += Math.max(...panels.map((p) => p.gridPos.h));
  return panels;
}

const steps = (...pairs) => ({ mode: 'absolute', steps: pairs.map(([color, value]) => ({ color, value })) });

function buildPanels() {
  const panels = [];
  const push = (...p) => panels.push(...p.flat());

  // y is read when each panel object is created, so every `line` builds its panels first.
  push(
    line(
      stat({ title: 'Consumed', description: 'Input records read per second (all instances)', x: 0, unit: 'reqps', expr: `sum(${rate('topicstream_documents_consumed_total')})` }),
      stat({ title: 'Active topics', description: 'Topics after the last refit, outliers excluded', x: 3, expr: `max(${m('topicstream_active_topics')})` }),
      stat({
        title: 'Outlier ratio',
        description: 'Share of window documents in topic -1 after the last refit',
        x: 6,
        unit: 'percentunit',
        decimals: 1,
        expr: `max(${m('topicstream_outlier_ratio')})`,
        thresholds: steps(['green', null], ['orange', 0.5], ['red', 0.7]),
      }),
      stat({ title: 'Window', description: 'Documents in the sliding window', x: 9, expr: `sum(${m('topicstream_window_documents')})` }),
      stat({ title: 'Model version', description: 'Refits applied since the state was created', x: 12, expr: `max(${m('topicstream_model_version')})` }),
      stat({
        title: 'Topic stability',
        description: 'Mean Jaccard overlap of the documents of topics that kept their id at the last refit (1 = unchanged)',
        x: 15,
        unit: 'percentunit',
        decimals: 0,
        expr: `min(${m('topicstream_topic_stability_jaccard')})`,
        thresholds: steps(['red', null], ['orange', 0.3], ['green', 0.6]),
      }),
      stat({
        title: 'Consumer lag',
        description: 'Records behind the end of the input topic, all partitions',
        x: 18,
        expr: `sum(max by (partition) (${m('topicstream_consumer_lag')}))`,
        thresholds: steps(['green', null], ['orange', 1000], ['red', 10000]),
      }),
      stat({
        title: 'Instances up',
        description: 'Scrape targets that answered (Prometheus up)',
        x: 21,
        expr: `sum(up{${SEL}})`,
        thresholds: steps(['red', null], ['green', 1]),
      }),
    ),
  );

  push(row('Throughput and latency'));
  push(
    line(
      timeseries({
        title: 'Throughput',
        description: 'Records consumed, assignments published by method (knn at arrival, refit when a refit moved a post), outliers at arrival and redeliveries, per second',
        x: 0,
        w: 12,
        unit: 'reqps',
        targets: [
          target(`sum(${rate('topicstream_documents_consumed_total')})`, 'consumed'),
          target(`sum by (method) (${rate('topicstream_documents_assigned_total')})`, 'assigned ({{method}})'),
          target(`sum(${rate('topicstream_documents_outlier_total')})`, 'outliers at arrival'),
          target(`sum(${rate('topicstream_documents_duplicate_total')})`, 'duplicates'),
        ],
      }),
      timeseries({
        title: 'Assignment latency',
        description: 'From the record timestamp (produce time) to its assignment being durable: p50, p95, p99 from the histogram',
        x: 12,
        w: 12,
        unit: 's',
        targets: [
          target(quantile(0.5, 'topicstream_assignment_latency_seconds_bucket'), 'p50'),
          target(quantile(0.95, 'topicstream_assignment_latency_seconds_bucket'), 'p95'),
          target(quantile(0.99, 'topicstream_assignment_latency_seconds_bucket'), 'p99'),
        ],
      }),
    ),
  );
  push(
    line(
      timeseries({
        title: 'Consumer lag per partition',
        description: 'Records behind the end of each input partition, reported by the instance that consumes it',
        x: 0,
        w: 12,
        targets: [target(`max by (partition) (${m('topicstream_consumer_lag')})`, 'partition {{partition}}')],
      }),
      timeseries({
        title: 'Invalid documents by reason',
        description: 'Records sent to the dead-letter topic per second, by reason',
        x: 12,
        w: 12,
        unit: 'reqps',
        stack: true,
        targets: [target(`sum by (reason) (${rate('topicstream_documents_invalid_total')})`, '{{reason}}')],
      }),
    ),
  );

  push(row('Embedding'));
  push(
    line(
      timeseries({
        title: 'Embed time per batch',
        description: 'Wall time to embed one batch: p50, p95, p99',
        x: 0,
        w: 8,
        unit: 's',
        targets: [
          target(quantile(0.5, 'topicstream_embed_seconds_bucket'), 'p50'),
          target(quantile(0.95, 'topicstream_embed_seconds_bucket'), 'p95'),
          target(quantile(0.99, 'topicstream_embed_seconds_bucket'), 'p99'),
        ],
      }),
      timeseries({
        title: 'Embed time per document',
        description: 'Embedding seconds spent per embedded document (batch time / batch size), per instance',
        x: 8,
        w: 8,
        unit: 's',
        targets: [
          target(
            `sum by (instance) (${rate('topicstream_embed_seconds_sum')}) / sum by (instance) (${rate('topicstream_embed_batch_size_sum')})`,
            '{{instance}}',
          ),
        ],
      }),
      timeseries({
        title: 'Embedding batch size',
        description: 'Mean documents per embedding batch, and documents embedded per second',
        x: 16,
        w: 8,
        targets: [
          target(`sum(${rate('topicstream_embed_batch_size_sum')}) / sum(${rate('topicstream_embed_batch_size_count')})`, 'mean batch size'),
          target(`sum(${rate('topicstream_embed_batch_size_sum')})`, 'documents embedded / s'),
        ],
      }),
    ),
  );

  push(row('Topics'));
  push(
    line(
      timeseries({
        title: 'Top topics over time',
        description: 'Window documents of the largest topics, named by their labels (the service exports only its top topics, so the series count stays bounded)',
        x: 0,
        w: 16,
        h: 10,
        targets: [target(named(`max by (topic) (${m('topicstream_topic_documents')})`), '{{label}}')],
      }),
      timeseries({
        title: 'Topic events',
        description: 'Lifecycle events published per 5 minutes, by type (born, died, merged, split, ...)',
        x: 16,
        w: 8,
        h: 10,
        bars: true,
        stack: true,
        targets: [target(`sum by (type) (increase(${m('topicstream_topic_events_total')}[5m]))`, '{{type}}', { interval: '5m' })],
      }),
    ),
  );
  push(
    line(
      table({
        title: 'Current topics',
        description:
          'Active topics now: label (a user label, or the automatic one from the top words), top words, window documents and growth (documents per hour over the last 15 minutes). Sizes and growth cover the largest topics (topicstream_topic_documents); set a label with PUT /api/topics/:id/label',
        x: 0,
        w: 24,
        h: 9,
        targets: [
          target(topicInfo('topic, label, words'), '', { format: 'table', instant: true, range: false }),
          target(named(`max by (topic) (${m('topicstream_topic_documents')})`), '', { format: 'table', instant: true, range: false }),
          target(named(`3600 * max by (topic) (deriv(${m('topicstream_topic_documents')}[15m]))`), '', { format: 'table', instant: true, range: false }),
        ],
        columns: { 'Value #B': 'documents', 'Value #C': 'growth / h' },
        hidden: ['Time', 'Value #A'],
        sortBy: 'documents',
      }),
    ),
  );
  push(line(risingNow()));
  push(
    line(
      timeseries({
        title: 'Active topics',
        description: 'Topics after each refit, outliers excluded',
        x: 0,
        w: 6,
        targets: [target(`max by (instance) (${m('topicstream_active_topics')})`, '{{instance}}')],
      }),
      timeseries({
        title: 'Outlier ratio',
        description: 'Share of the window in topic -1 after each refit',
        x: 6,
        w: 6,
        unit: 'percentunit',
        targets: [target(`max by (instance) (${m('topicstream_outlier_ratio')})`, '{{instance}}')],
      }),
      timeseries({
        title: 'Window size',
        description: 'Documents in the sliding window',
        x: 12,
        w: 6,
        targets: [target(`sum by (instance) (${m('topicstream_window_documents')})`, '{{instance}}')],
      }),
      timeseries({
        title: 'Topic stability and model version',
        description: 'Mean Jaccard overlap of topics that kept their id at the last refit (left) and the model version (right)',
        x: 18,
        w: 6,
        unit: 'percentunit',
        targets: [
          target(`min by (instance) (${m('topicstream_topic_stability_jaccard')})`, 'stability {{instance}}'),
          target(`max by (instance) (${m('topicstream_model_version')})`, 'model version {{instance}}'),
        ],
        overrides: [
          {
            matcher: { id: 'byRegexp', options: '^model version.*' },
            properties: [
              { id: 'unit', value: 'none' },
              { id: 'custom.axisPlacement', value: 'right' },
              { id: 'custom.drawStyle', value: 'line' },
            ],
          },
        ],
      }),
    ),
  );

  push(row('Refits'));
  push(
    line(
      timeseries({
        title: 'Refit duration by stage',
        description: 'Mean wall time of each refit stage (knn, umap, hdbscan, ctfidf, total) over the last 30 minutes',
        x: 0,
        w: 12,
        unit: 's',
        targets: [
          target(
            `sum by (stage) (increase(${m('topicstream_refit_duration_seconds_sum')}[30m])) / sum by (stage) (increase(${m('topicstream_refit_duration_seconds_count')}[30m]))`,
            '{{stage}}',
          ),
        ],
      }),
      timeseries({
        title: 'Refits and failures',
        description: 'Refits applied and refits failed, per 15 minutes',
        x: 12,
        w: 6,
        bars: true,
        targets: [
          target(`sum(increase(${m('topicstream_refits_total')}[15m]))`, 'refits', { interval: '1m' }),
          target(`sum(increase(${m('topicstream_refit_failures_total')}[15m]))`, 'failures', { interval: '1m' }),
        ],
        overrides: [{ matcher: { id: 'byName', options: 'failures' }, properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }] }],
      }),
      timeseries({
        title: 'Snapshot age',
        description: 'Seconds since the last state snapshot (-1 before the first)',
        x: 18,
        w: 6,
        unit: 's',
        min: null,
        targets: [target(`max by (instance) (${m('topicstream_snapshot_age_seconds')})`, '{{instance}}')],
      }),
    ),
  );

  push(row('Process'));
  push(
    line(
      timeseries({
        title: 'CPU',
        description: 'CPU seconds per second of the whole process (all threads: embedding workers and refit worker included)',
        x: 0,
        w: 6,
        unit: 'percentunit',
        targets: [target(`sum by (instance) (${rate('topicstream_process_cpu_seconds_total')})`, '{{instance}}')],
      }),
      timeseries({
        title: 'Memory',
        description: 'Resident set size and V8 heap in use',
        x: 6,
        w: 6,
        unit: 'bytes',
        targets: [
          target(m('topicstream_process_resident_memory_bytes'), 'rss {{instance}}'),
          target(m('topicstream_nodejs_heap_size_used_bytes'), 'heap {{instance}}'),
        ],
      }),
      timeseries({
        title: 'Event loop lag p99',
        description: 'Delay of the main thread; ingestion, assignment and HTTP share it',
        x: 12,
        w: 6,
        unit: 's',
        targets: [target(m('topicstream_nodejs_eventloop_lag_p99_seconds'), '{{instance}}')],
      }),
      timeseries({
        title: 'GC time',
        description: 'Seconds per second spent in garbage collection, by kind',
        x: 18,
        w: 6,
        unit: 'percentunit',
        targets: [target(`sum by (kind) (${rate('topicstream_nodejs_gc_duration_seconds_sum')})`, '{{kind}}')],
      }),
    ),
  );
  return panels;
}

function queryVar(name, label, query, extra = {}) {
  return {
    name,
    label,
    type: 'query',
    datasource: DS,
    query: { query, refId: `${name}-var` },
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
    hide: 0,
    ...extra,
  };
}

export function buildDashboard() {
  nextId = 1;
  y = 0;
  return {
    uid: 'topicstream',
    title: 'topicstream',
    description: 'Streaming topic model: throughput, latency, lag, refits and topics (deploy/grafana, docs/operations.md)',
    tags: ['topicstream', 'kafka', 'topics'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    refresh: '10s',
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    links: [],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
        {
          datasource: DS,
          enable: true,
          hide: false,
          iconColor: 'purple',
          name: 'Refits',
          expr: `changes(${m('topicstream_model_version')}[1m]) > 0`,
          step: '1m',
          titleFormat: 'refit',
          textFormat: 'new model on {{instance}}',
          useValueForTime: false,
        },
        {
          datasource: DS,
          enable: true,
          hide: false,
          iconColor: 'green',
          name: 'Topics born',
          // a topic id with a label now that had none a minute ago: a birth or split (named by its label)
          expr: `${topicInfo()} unless on (topic) max by (topic) (${m('topicstream_topic_info')} offset 1m)`,
          step: '1m',
          titleFormat: 'topic born',
          textFormat: '{{label}} (topic {{topic}})',
          useValueForTime: false,
        },
        {
          datasource: DS,
          enable: true,
          hide: false,
          iconColor: 'red',
          name: 'Topics gone',
          // a topic active a minute ago and not now: it died or merged (named by its last label)
          expr: `max by (topic, label) (${m('topicstream_topic_info')} offset 1m) unless on (topic) ${topicInfo('topic')}`,
          step: '1m',
          titleFormat: 'topic gone (died or merged)',
          textFormat: '{{label}} (topic {{topic}})',
          useValueForTime: false,
        },
      ],
    },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          refresh: 1,
          hide: 0,
          includeAll: false,
          multi: false,
          current: {},
          options: [],
          regex: '',
        },
        queryVar('job', 'Job', 'label_values(topicstream_documents_consumed_total, job)'),
        queryVar('instance', 'Instance', 'label_values(topicstream_documents_consumed_total{job=~"$job"}, instance)'),
      ],
    },
    panels: buildPanels(),
  };
}

export function renderDashboard() {
  return JSON.stringify(buildDashboard(), null, 2) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = renderDashboard();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {
      /* missing: reported below */
    }
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), OUT)} is not what generate-dashboard.mjs generates; run: node deploy/grafana/generate-dashboard.mjs`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), OUT)} is up to date`);
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  }
}
