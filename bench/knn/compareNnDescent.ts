/**
 * Hand-run comparison (not a test): the k-NN graph (k = 15, cosine) of real embeddings by our
 * NN-descent, by pynndescent and by our HNSW graph, side by side in one run, each scored by
 * recall@15 against brute force (bruteForceKnn, cached in bench/knn/.cache/).
 *
 *   node dist/bench/knn/compareNnDescent.js <embeddings> [n] [repeats] [out.json]
 *
 * <embeddings>: a `.f32` file of row-major float32 rows with a sidecar `.json` next to it
 * ({rows, cols} or {n, dim}: bench/stream/.cache), or a `topicstream fit --out` folder (its
 * model/embeddings.f32 and model/meta). pynndescent runs in PYTHON (default /tmp/bt/bin/python),
 * timed after a warm-up call (numba compile time reported apart). Order: ours (config threads),
 * ours on one thread, pynndescent, HNSW, ours again (a drift in the machine's load shows as a
 * difference between the two runs of ours); the load average and the CPU time are recorded for
 * each. CONFIG='{"knn":{"nnDescent":{...}}}' overrides the config.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import type { KnnGraph } from '../../src/core/types.js';
import { bruteForceKnn } from '../../src/knn/bruteForceKnn.js';
import { buildKnnGraph } from '../../src/knn/buildKnnGraph.js';
import { nnDescentKnnWithStats } from '../../src/knn/nnDescent.js';
import { knnRecall } from '../../src/knn/recall.js';
import { hnswOptions, nnDescentOptions } from '../../src/pipeline/components.js';
import { loadRows } from './loadRows.js';

const K = 15;
const src = process.argv[2];
if (!src) throw new Error('usage: compareNnDescent.js <embeddings.f32 | fit --out folder> [n] [repeats] [out.json]');
const want = Number(process.argv[3] ?? Infinity);
const repeats = Number(process.argv[4] ?? 1);
const outFile = process.argv[5] ?? `bench/knn/results/nndescent-${path.basename(src).replace(/\.f32$/, '')}.json`;
const python = process.env.PYTHON ?? '/tmp/bt/bin/python';
const config = configSchema.parse(JSON.parse(process.env.CONFIG ?? '{}'));
const seed = config.seed;

const x = loadRows(src, want);
const n = x.rows;
console.log(`${src}: ${n} x ${x.cols}`);

const exact = exactGraph();
const load = (): number[] => os.loadavg().map((v) => Math.round(v * 100) / 100);
const results: Record<string, unknown>[] = [];

function timeOurs(label: string, threads?: number): void {
  for (let r = 0; r < repeats; r++) {
    const loadBefore = load();
    const t = performance.now();
    const c = process.cpuUsage();
    const opts = { ...nnDescentOptions(config, seed + r), ...(threads ? { threads } : {}) };
    const { graph, stats } = nnDescentKnnWithStats(x, K, opts);
    const seconds = (performance.now() - t) / 1000;
    const cpuSeconds = cpuOf(c);
    const recall = knnRecall(graph, exact);
    results.push({ method: threads === 1 ? 'topicstream nndescent 1 thread' : 'topicstream nndescent', label, seconds, cpuSeconds, recall, loadBefore, stats });
    console.log(`${label}: ${seconds.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s) recall ${recall.toFixed(4)} (load ${loadBefore.join(' ')}) ${JSON.stringify(stats)}`);
  }
}

function timePynndescent(): void {
  const tmp = path.join(os.tmpdir(), `knn-bench-${process.pid}`);
  writeFileSync(`${tmp}.f32`, x.data.subarray(0, n * x.cols));
  const loadBefore = load();
  const script = path.join('bench', 'knn', 'pynndescent_knn.py');
  const p = spawnSync(python, [script, `${tmp}.f32`, String(n), String(x.cols), String(K), String(seed), `${tmp}.i32`, String(repeats)], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`pynndescent failed: ${p.stderr}`);
  const info = JSON.parse(p.stdout.trim().split('\n').pop()!) as { seconds: number[]; cpuSeconds: number[]; warmupSeconds: number };
  const buf = readFileSync(`${tmp}.i32`);
  const graph: KnnGraph = { n, k: K, indices: new Int32Array(buf.buffer, buf.byteOffset, n * K), distances: new Float32Array(n * K) };
  const recall = knnRecall(graph, exact);
  results.push({ method: 'pynndescent', ...info, runs: info.seconds, seconds: Math.min(...info.seconds), recall, loadBefore });
  console.log(`pynndescent: ${info.seconds.map((s) => s.toFixed(2)).join(', ')} s (cpu ${info.cpuSeconds.map((s) => s.toFixed(2)).join(', ')} s) recall ${recall.toFixed(4)} (load ${loadBefore.join(' ')}; warm-up incl. numba compile ${info.warmupSeconds.toFixed(1)} s)`);
}

function timeHnsw(): void {
  const loadBefore = load();
  const t = performance.now();
  const c = process.cpuUsage();
  const graph = buildKnnGraph(x, K, hnswOptions(config, seed));
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuOf(c);
  const recall = knnRecall(graph, exact);
  results.push({ method: 'topicstream hnsw', seconds, cpuSeconds, recall, loadBefore, options: hnswOptions(config, seed) });
  console.log(`hnsw: ${seconds.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s) recall ${recall.toFixed(4)} (load ${loadBefore.join(' ')})`);
}

/** CPU seconds (user + system, all threads) since `c0`. */
function cpuOf(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** Brute force, cached by source, n and k (minutes at 20k). */
function exactGraph(): KnnGraph {
  const dir = path.join('bench', 'knn', '.cache');
  const file = path.join(dir, `${path.basename(src).replace(/[^\w.-]/g, '_')}-${n}-k${K}.i32`);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    return { n, k: K, indices: new Int32Array(buf.buffer, buf.byteOffset, n * K), distances: new Float32Array(n * K) };
  }
  const t = performance.now();
  const g = bruteForceKnn(x, K);
  console.log(`brute force: ${((performance.now() - t) / 1000).toFixed(1)} s (cached in ${file})`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, g.indices);
  return g;
}

timeOurs('nndescent (first)');
timeOurs('nndescent, 1 thread', 1);
if (process.env.SKIP_PY !== '1') timePynndescent();
if (process.env.SKIP_HNSW !== '1') timeHnsw();
timeOurs('nndescent (again)');

const best = (m: string): number => Math.min(...results.filter((r) => r.method === m).map((r) => r.seconds as number));
const median = (m: string): number => {
  const v = results.filter((r) => r.method === m).flatMap((r) => (r.runs as number[] | undefined) ?? [r.seconds as number]).sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};
const ratios = {
  nndescentOverPynndescentBest: best('topicstream nndescent') / best('pynndescent'),
  nndescentOverPynndescentMedian: median('topicstream nndescent') / median('pynndescent'),
  oneThreadOverPynndescentMedian: median('topicstream nndescent 1 thread') / median('pynndescent'),
  hnswOverPynndescentBest: best('topicstream hnsw') / best('pynndescent'),
};
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify({
  date: new Date().toISOString(), commit, source: src, n, dim: x.cols, k: K,
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
  nnDescent: nnDescentOptions(config, seed), results, ratios,
}, null, 1));
console.log(`ratios (time, lower = faster): ${JSON.stringify(ratios)} -> ${outFile}`);
