// The machine and moment a benchmark ran on, recorded next to its numbers: CPU model and count,
// RAM, load average before the run (the 2 cores are shared), Node version, git commit, date.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../test/helpers/paths.js';
import { roundTo } from '../../src/core/round.js';

export interface MachineInfo {
  date: string;
  cpu: string;
  cpus: number;
  threadsPerCore: string;
  ramGiB: number;
  loadavg: number[];
  node: string;
  commit: string;
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(): MachineInfo {
  const lscpu = new Map(
    sh('lscpu', [])
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()] as const),
  );
  return {
    date: new Date().toISOString(),
    cpu: lscpu.get('Model name') ?? os.cpus()[0]?.model ?? '?',
    cpus: os.cpus().length,
    threadsPerCore: lscpu.get('Thread(s) per core') ?? '?',
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadavg: os.loadavg().map((x) => roundTo(x, 2)),
    node: process.version,
    commit: sh('git', ['rev-parse', '--short', 'HEAD']),
  };
}

/** Writes bench/stream/results/<name>.json (committed: the numbers behind docs/benchmarks.md). */
export function saveResult(name: string, result: unknown): string {
  const dir = path.join(ROOT, 'bench', 'stream', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
