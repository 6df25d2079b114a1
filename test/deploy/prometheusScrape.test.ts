// End to end: a real Prometheus server (Debian's package, or PROMETHEUS_BIN) scrapes the running
// service every second while it replays a file, and its HTTP API shows the documents-consumed
// counter rising. scripts/checks/run-checks.sh installs the package; without the binary the test
// is skipped with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from '../helpers/paths.js';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const INPUT = path.join(ROOT, 'data', 'tweets-sample.jsonl.gz');
/** Model loading, the first scrapes and a few seconds of replay fit well inside this. */
const DEADLINE_MS = 180_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

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

test(
  'Prometheus scrapes the service and sees documents_consumed_total rise during a replay',
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
        [CLI, 'run', '--input', INPUT, '--port', String(svcPort), '--serve', '--state-dir', path.join(dir, 'state'), '--out', path.join(dir, 'out'), '--rate', '50', '--quiet'],
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
    } finally {
      await Promise.all([stop(svc), stop(prom)]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
