/**
 * Hand-run (not a test): fast-umap's layout on 1 vs 2 threads (umap.threads, stream.refit.umapThreads),
 * and fewer epochs, at several window sizes. Per size the k-NN graph is built once (HNSW with the
 * config's options, or --graph nndescent); each fit runs in a worker thread (the parallel layout
 * needs one; so do `fit` and the refit), one after another in the order given, configs interleaved
 * per repeat. Per fit: wall time of the whole fastUmap and of its phases, the layout's CPU per
 * thread and time spent waiting for a core (Linux schedstat), trustworthiness at k=15 on the first
 * 3,000 points, and HDBSCAN (the config's defaults) on the layout: clusters, outlier share, ARI
 * against the first config's clustering (1 thread, the first epochs; the reference). A second seed
 * of the reference is fitted as the noise floor of that ARI (--noise-seed; 0 = none). The JSON is
 * rewritten after every fit.
 *
 *   node dist/bench/reduce/parallelLayout.js [--sizes 5000,10000,20000,40000] [--threads 1,2]
 *     [--epochs 200] [--repeats 1] [--graph hnsw|nndescent] [--data tweets|synthetic] [--out file.json]
 *
 * Data: the tweet embeddings of bench/stream (all-MiniLM-L6-v2, 384-d, cached in bench/stream/.cache
 * by tweetEmbeddings.ts; the cache holds 20,000) for sizes up to the cache's; larger sizes, or
 * --data synthetic, use synthetic 384-d clustered vectors (test/knn/synthetic.ts; fine for timing,
 * its quality figures are not comparable with the tweets'). The machine's 2 cores are shared: the
 * load average is recorded with every fit, and the wall-time ratio of 1 to 2 threads only means
 * something when measured side by side; `layoutCpuMs` per thread says what 2 threads would take on
 * a machine that is not shared (the busiest thread's CPU).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createMatrix, type KnnGraph, type Matrix } from '../../src/core/types.js';
import { loadConfig } from '../../src/config/load.js';
import { hdbscanParams, nnDescentOptions, hnswOptions } from '../../src/pipeline/components.js';
import { nnDescentKnn } from '../../src/knn/nnDescent.js';
import { buildKnnGraph } from '../../src/knn/buildKnnGraph.js';
import { fastUmap, type FastUmapPhases } from '../../src/reduce/fast/fastUmap.js';
import { lastParallelStats } from '../../src/reduce/fast/parallelLayout.js';
import { threadSchedstat } from '../../src/reduce/fast/layoutShared.js';
import { trustworthiness } from '../../src/reduce/quality/trustworthiness.js';
import { HdbscanClusterer } from '../../src/cluster/hdbscanClusterer.js';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { syntheticClusters } from '../../test/knn/synthetic.js';
import { ROOT } from '../../test/helpers/paths.js';

interface Job {
  x: { rows: number; cols: number; data: Float32Array };
  knn: KnnGraph;
  threads: number;
  nEpochs: number;
  seed: number;
}

interface FitResult {
  wallMs: number;
  /** CPU of the thread that ran the fit (all phases, its share of the layout included) */
  fitCpuMs: number;
  phases: Partial<FastUmapPhases>;
  layoutCpuMs: number[];
  layoutRunQueueMs: number[];
  helperShare: number | null;
  y: Float32Array;
}

const TRUST_POINTS = 3000;

if (!isMainThread) {
  // a fit, in this worker
  const job = workerData as Job;
  const phases: Partial<FastUmapPhases> = {};
  const c0 = threadSchedstat();
  const t0 = performance.now();
  const y = fastUmap(job.knn, { seed: job.seed, nEpochs: job.nEpochs, threads: job.threads }, createMatrix(job.x.rows, job.x.cols, job.x.data), undefined, phases);
  const wallMs = performance.now() - t0;
  const c1 = threadSchedstat();
  const st = job.threads > 1 ? lastParallelStats : null;
  const res: FitResult = {
    wallMs,
    fitCpuMs: c0 && c1 ? (c1.cpuUs - c0.cpuUs) / 1000 : NaN,
    phases,
    layoutCpuMs: st?.cpuMs ?? [],
    layoutRunQueueMs: st?.runQueueMs ?? [],
    helperShare: st?.helperShare ?? null,
    y,
  };
  parentPort!.postMessage(res, [y.buffer as ArrayBuffer]);
} else {
  await main();
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

function loadavg(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).slice(0, 3).map(Number);
}

function fitInWorker(job: Job): Promise<FitResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: job });
    w.once('message', (m: FitResult) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => (code !== 0 ? reject(new Error(`fit worker exited with ${code}`)) : undefined));
  });
}

function tweetCache(): { data: Float32Array; rows: number; dim: number } | null {
  const dir = path.join(ROOT, 'bench', 'stream', '.cache');
  if (!existsSync(dir)) return null;
  let best: { data: Float32Array; rows: number; dim: number } | null = null;
  for (const f of readdirSync(dir).filter((f) => f.startsWith('trump-first') && f.endsWith('.json'))) {
    const meta = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { n: number; dim: number };
    if (best && meta.n <= best.rows) continue;
    const buf = readFileSync(path.join(dir, f.replace(/\.json$/, '.f32')));
    best = { data: new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4), rows: meta.n, dim: meta.dim };
  }
  return best;
}

function clusterStats(y: Matrix, params: ReturnType<typeof hdbscanParams>): { labels: Int32Array; clusters: number; outlierShare: number } {
  const { labels } = new HdbscanClusterer(params).fitSync(y);
  let clusters = 0;
  let outliers = 0;
  for (const l of labels) {
    clusters = Math.max(clusters, l + 1);
    if (l < 0) outliers++;
  }
  return { labels, clusters, outlierShare: outliers / labels.length };
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '5000,10000,20000,40000').split(',').map(Number);
  const threadList = arg('threads', '1,2').split(',').map(Number);
  const epochList = arg('epochs', '200').split(',').map(Number);
  const repeats = Number(arg('repeats', '1'));
  const graph = arg('graph', 'hnsw');
  const dataArg = arg('data', 'tweets');
  const noiseSeed = Number(arg('noise-seed', '43'));
  const seed = 42;
  const config = loadConfig();
  const hp = hdbscanParams(config);
  const tweets = dataArg === 'tweets' ? tweetCache() : null;
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  } catch {
    /* not a checkout */
  }
  const out = {
    script: 'bench/reduce/parallelLayout.ts',
    date: new Date().toISOString(),
    commit,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) },
    loadavgStart: loadavg(),
    graph,
    hdbscan: hp,
    runs: [] as unknown[],
  };
  const file = arg('out', path.join(ROOT, 'bench', 'reduce', 'results', `parallelLayout-${out.date.slice(0, 16).replace(/[:T]/g, '-')}.json`));
  mkdirSync(path.dirname(file), { recursive: true });
  // written after every fit, so that an interrupted run keeps what it measured
  const save = (): void => writeFileSync(file, JSON.stringify({ ...out, loadavgEnd: loadavg() }, null, 1) + '\n');
  for (const n of sizes) {
    const real = tweets && n <= tweets.rows;
    let x: Matrix;
    if (real) x = createMatrix(n, tweets.dim, tweets.data.slice(0, n * tweets.dim));
    else x = syntheticClusters({ n, dim: 384, clusters: 60, seed: 7, spread: 0.8, rank: 12 }).x;
    const data = real ? 'tweets (all-MiniLM-L6-v2, first n of bench/stream/.cache)' : 'synthetic 384-d, 60 clusters';
    const g0 = performance.now();
    const knn = graph === 'hnsw' ? buildKnnGraph(x, 15, hnswOptions(config, seed)) : nnDescentKnn(x, 15, nnDescentOptions(config, seed));
    const graphMs = performance.now() - g0;
    process.stderr.write(`n=${n} (${data}): k-NN graph (${graph}) ${(graphMs / 1000).toFixed(1)} s, load ${loadavg().join(' ')}\n`);
    const tn = Math.min(TRUST_POINTS, n);
    const xSub = createMatrix(tn, x.cols, x.data.subarray(0, tn * x.cols));
    const configs: Array<{ threads: number; nEpochs: number; seed: number }> = [];
    for (const e of epochList) for (const t of threadList) configs.push({ threads: t, nEpochs: e, seed });
    if (noiseSeed) configs.push({ threads: threadList[0]!, nEpochs: epochList[0]!, seed: noiseSeed });
    let ref: Int32Array | null = null;
    for (let r = 0; r < repeats; r++) {
      for (const c of configs) {
        if (r > 0 && c.seed !== seed) continue; // the noise floor once
        const load = loadavg();
        const res = await fitInWorker({ x: { rows: x.rows, cols: x.cols, data: x.data }, knn, ...c });
        const y = createMatrix(n, 5, res.y);
        const trust = trustworthiness(xSub, createMatrix(tn, 5, y.data.subarray(0, tn * 5)), 15, 'cosine');
        const cl = clusterStats(y, hp);
        if (!ref) ref = cl.labels;
        const row = {
          n,
          data,
          graphMs: Math.round(graphMs),
          threads: c.threads,
          nEpochs: c.nEpochs,
          seed: c.seed,
          repeat: r,
          loadavg: load,
          wallMs: Math.round(res.wallMs),
          graphPhaseMs: Math.round(res.phases.graphMs ?? 0),
          initMs: Math.round(res.phases.initMs ?? 0),
          layoutMs: Math.round(res.phases.layoutMs ?? 0),
          layoutThreads: res.phases.threads,
          fitCpuMs: Math.round(res.fitCpuMs),
          layoutCpuMs: res.layoutCpuMs.map(Math.round),
          // what the fit would take with a core per thread: the calling thread's CPU outside the
          // layout plus the busiest thread's layout CPU (1 thread: its CPU)
          quietEstimateMs: Math.round(res.layoutCpuMs.length ? res.fitCpuMs - res.layoutCpuMs[0]! + Math.max(...res.layoutCpuMs) : res.fitCpuMs),
          layoutRunQueueMs: res.layoutRunQueueMs.map(Math.round),
          helperShare: res.helperShare,
          trustworthiness: Number(trust.toFixed(4)),
          clusters: cl.clusters,
          outlierShare: Number(cl.outlierShare.toFixed(4)),
          ariVsReference: Number(adjustedRandIndex(ref, cl.labels).toFixed(4)),
        };
        out.runs.push(row);
        save();
        process.stderr.write(
          `  threads ${c.threads} epochs ${c.nEpochs} seed ${c.seed}: wall ${(res.wallMs / 1000).toFixed(2)} s, CPU-bound estimate ${(row.quietEstimateMs / 1000).toFixed(2)} s (layout ${(row.layoutMs / 1000).toFixed(2)} s` +
            `${row.layoutCpuMs.length ? `, layout CPU per thread ${row.layoutCpuMs.map((v) => (v / 1000).toFixed(2)).join('/')} s, waiting for a core ${row.layoutRunQueueMs.map((v) => (v / 1000).toFixed(1)).join('/')} s` : ''})` +
            `, trust ${row.trustworthiness}, ${row.clusters} clusters, ${(row.outlierShare * 100).toFixed(1)}% outliers, ARI vs ref ${row.ariVsReference}, load ${load.join(' ')}\n`,
        );
      }
    }
  }
  save();
  process.stderr.write(`wrote ${file}\n`);
}
