// End to end: a real Prometheus server (Debian's package, or PROMETHEUS_BIN) scrapes the running
// service every 2 s while it replays a file (with two bad records, so the dead-letter panel has
// data), and its HTTP API shows the documents-consumed counter rising. After a refit and a label
// set through PUT /api/topics/:id/label, every query of every panel of the shipped Grafana
// dashboard returns data, and the per-topic ones name topics by label (the legend shows labels).
// scripts/checks/run-checks.sh installs the package; without the binary the test is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from '../helpers/paths.js';
import { freePort } from '../helpers/freePort.js';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const SAMPLE = path.join(ROOT, 'data', 'tweets-sample.jsonl.gz');
const DASHBOARD = path.join(ROOT, 'deploy', 'grafana', 'dashboards', 'topicstream.json');
/** Model loading, the first scrapes, a few seconds of replay and two refits fit well inside this. */
const DEADLINE_MS = 240_000;
const LABEL = 'prometheus check';

/** The replayed file: the first 1000 sample posts with two bad records among them. */
function writeInput(dir: string): string {
  const lines = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').filter(Boolean).slice(0, 1000);
  lines.splice(300, 0, 'not json');
  lines.splice(600, 0, '{"id":"no-text"}');
  const file = path.join(dir, 'input.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

interface PanelQuery {
  where: string;
  expr: string;
  legend: string;
}

/** Every panel query of the dashboard, Grafana's variables filled in as Grafana would for "All". */
function panelQueries(): PanelQuery[] {
  const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ id: number; title: string; type: string; panels?: unknown[]; targets?: Array<{ refId: string; expr: string; legendFormat?: string }> }> };
  const out: PanelQuery[] = [];
  for (const p of d.panels) {
    for (const t of p.targets ?? []) {
      const expr = t.expr.replace(/\$job|\$instance/g, '.*').replace(/\$__rate_interval/g, '1m');
      out.push({ where: `panel ${p.id} "${p.title}" ${t.refId}`, expr, legend: t.legendFormat ?? '' });
    }
  }
  return out;
}

/** Per-topic queries: grouped by topic (their legend must show the topic's label). */
const perTopic = (q: PanelQuery): boolean => /\bby \(topic\b/.test(q.expr);


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process whose last output lines are kept for the failure message. */
interface Proc {
  child: ChildProcess;
  name: string;
  tail(): string;
  exited: Promise<number | null>;
}

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (b: Buffer) => {
    lines.push(...b.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, name, exited, tail: () => `--- last output of ${name} ---\n${lines.join('\n')}` };
}

/** SIGTERM, then SIGKILL if the process has not exited after a grace period. */
async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await p.exited;
  clearTimeout(timer);
}

interface QueryResult {
  status: string;
  error?: string;
  data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function query(promPort: number, q: string): Promise<QueryResult['data'] | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as QueryResult;
    return body.status === 'success' ? body.data : undefined;
  } catch {
    return undefined; // Prometheus still starting
  }
}

/** Polls `probe` every second until it gives a value; fails (with `why()`) at the deadline or when a process exits. */
async function waitFor<T>(deadline: number, procs: Proc[], why: () => string, probe: () => Promise<T | undefined>): Promise<T> {
  while (Date.now() < deadline) {
    for (const p of procs) if (p.child.exitCode !== null) assert.fail(`${p.name} exited with code ${p.child.exitCode}\n${p.tail()}`);
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(1000);
  }
  return assert.fail(`${why()} (within ${DEADLINE_MS / 1000} s)\n${procs.map((p) => p.tail()).join('\n')}`);
}

/** Once a refit made topics: labels the largest one through the API; returns its id. */
async function labelLargestTopic(svcPort: number, deadline: number, procs: Proc[]): Promise<number> {
  const api = `http://127.0.0.1:${svcPort}/api/topics`;
  const topics = await waitFor(deadline, procs, () => 'no topics in /api/topics: no refit happened', async () => {
    const res = await fetch(api, { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
    const body = res?.ok ? ((await res.json()) as { topics: Array<{ id: number; size: number }> }) : undefined;
    const ts = body?.topics.filter((t) => t.id !== -1) ?? [];
    return ts.length ? ts : undefined;
  });
  const largest = topics.sort((a, b) => b.size - a.size)[0]!;
  const put = await fetch(`${api}/${largest.id}/label`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: LABEL }) });
  assert.equal(put.status, 200, await put.text());
  return largest.id;
}

/** Evaluates every panel query until each returns data and the new label has been scraped. */
async function evaluatePanels(promPort: number, deadline: number, procs: Proc[]): Promise<Array<{ q: PanelQuery; result: Array<{ metric: Record<string, string> }> }>> {
  const queries = panelQueries();
  let empty: string[] = queries.map((q) => q.where);
  return waitFor(deadline, procs, () => `dashboard queries without data: ${empty.join('; ')}`, async () => {
    // the label first: once a scrape carrying it is in, the panel queries after it see it too (the
    // other order raced a scrape landing between the two, and a panel showed the old label)
    const labelled = await query(promPort, `topicstream_topic_info{label="${LABEL}"}`);
    const results = await Promise.all(queries.map((q) => query(promPort, q.expr)));
    empty = queries.filter((_, i) => !results[i]?.result.length).map((q) => `${q.where}: ${q.expr}`);
    if (!labelled?.result.length) empty.push(`topicstream_topic_info{label="${LABEL}"} (the label set through the API)`);
    return empty.length ? undefined : queries.map((q, i) => ({ q, result: results[i]!.result }));
  });
}

test(
  'Prometheus scrapes the service: documents_consumed_total rises, and after a refit every dashboard panel query returns data, per-topic ones named by label',
  { skip: existsSync(PROMETHEUS) ? false : `no Prometheus binary at ${PROMETHEUS} (apt-get install prometheus, or set PROMETHEUS_BIN)`, timeout: DEADLINE_MS + 60_000 },
  async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-prom-'));
    let prom: Proc | undefined;
    let svc: Proc | undefined;
    try {
      const [svcPort, promPort] = [await freePort(), await freePort()];
      const config = path.join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        [
          'global:',
          // a scrape may take over a second on a loaded machine: a short timeout would make one fail
          '  scrape_interval: 2s',
          '  scrape_timeout: 2s',
          '  evaluation_interval: 1s',
          'scrape_configs:',
          '  - job_name: topicstream',
          '    static_configs:',
          `      - targets: ["127.0.0.1:${svcPort}"]`,
          '',
        ].join('\n'),
      );
      prom = start('prometheus', PROMETHEUS, [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ]);
      svc = start(
        'topicstream run',
        process.execPath,
        // a refit every 200 documents: at 50 documents/s, the first one comes a few seconds in
        [CLI, 'run', '--input', writeInput(dir), '--port', String(svcPort), '--serve', '--state-dir', path.join(dir, 'state'), '--out', path.join(dir, 'out'), '--rate', '50', '--refit-every', '200', '--quiet'],
        { ...process.env, TOPICSTREAM__http__host: '127.0.0.1', TOPICSTREAM_LOG_LEVEL: 'warn' },
      );

      const procs: Proc[] = [prom, svc];
      const deadline = Date.now() + DEADLINE_MS;
      const seen: number[] = [];
      let up: string | undefined;
      while (Date.now() < deadline) {
        for (const p of procs) if (p.child.exitCode !== null) assert.fail(`${p.name} exited with code ${p.child.exitCode}\n${p.tail()}`);
        const data = await query(promPort, 'topicstream_documents_consumed_total{job="topicstream"}');
        const sample = data?.result[0]?.value[1];
        if (sample !== undefined) {
          const v = Number(sample);
          if (seen.length === 0 || v !== seen[seen.length - 1]) seen.push(v);
          if (seen.length >= 2 && v > seen[0]!) {
            // a scrape that succeeded (the rise itself proves two did): not the last one's luck
            up = (await query(promPort, 'max_over_time(up{job="topicstream"}[5m])'))?.result[0]?.value[1];
            break;
          }
        }
        await sleep(1000);
      }
      assert.ok(
        seen.length >= 2 && seen[seen.length - 1]! > seen[0]!,
        `topicstream_documents_consumed_total did not rise in Prometheus within ${DEADLINE_MS / 1000} s (values read: ${JSON.stringify(seen)})\n${svc.tail()}\n${prom.tail()}`,
      );
      assert.equal(up, '1', 'Prometheus should report the target up');
      t.diagnostic(`documents_consumed_total read through Prometheus: ${seen.join(' -> ')}`);

      const labelled = await labelLargestTopic(svcPort, deadline, procs);
      const panels = await evaluatePanels(promPort, deadline, procs);
      const topicPanels = panels.filter(({ q }) => perTopic(q));
      assert.ok(topicPanels.length >= 3, `per-topic queries: ${topicPanels.map(({ q }) => q.where).join('; ')}`);
      for (const { q, result } of topicPanels) {
        for (const s of result) assert.ok(s.metric.label, `${q.where}: a series without a label: ${JSON.stringify(s.metric)}`);
        if (q.legend) assert.match(q.legend, /\{\{label\}\}/, `${q.where}: the legend should show the label`);
      }
      for (const { q } of panels) assert.ok(!q.legend.includes('{{topic}}') || q.legend.includes('{{label}}'), `${q.where}: legend by id only: ${q.legend}`);
      const over = topicPanels.find(({ q }) => q.legend === '{{label}}')!;
      assert.ok(
        over.result.some((s) => s.metric.topic === String(labelled) && s.metric.label === LABEL),
        `${over.q.where}: the largest topic (${labelled}) should be named "${LABEL}": ${JSON.stringify(over.result.map((s) => s.metric))}`,
      );
      t.diagnostic(`${panels.length} panel queries returned data; ${topicPanels.length} per topic, named by label`);
    } finally {
      await Promise.all([stop(svc), stop(prom)]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
