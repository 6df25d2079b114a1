import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { createMatrix, type KnnGraph, type Matrix } from '../../src/core/types.js';
import { bruteForceKnn } from '../../src/knn/bruteForceKnn.js';
import { fastUmap, type FastUmapOptions } from '../../src/reduce/fast/fastUmap.js';
import { FastUmapReducer } from '../../src/reduce/createReducer.js';
import type { ParallelLayoutStats } from '../../src/reduce/fast/parallelLayout.js';
import { trustworthiness } from '../../src/reduce/quality/trustworthiness.js';
import { knnAccuracy } from '../../src/reduce/quality/knnAccuracy.js';
import { syntheticClusters } from '../knn/synthetic.js';

const linux = process.platform === 'linux';

function sha256(a: Float32Array): string {
  return createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/** nice value of every thread of this process (field 19 of /proc/self/task/<tid>/stat) */
function threadNiceness(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits (polling) until `cond` holds; false if it still does not after `limitMs` (a liveness bound, not a speed one). */
async function eventually(cond: () => boolean, limitMs = 20_000): Promise<boolean> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if (cond()) return true;
    await sleep(25);
  }
  return cond();
}

interface WorkerFit {
  y: Float32Array;
  threads: number;
  stats: ParallelLayoutStats | null;
}

/** One fastUmap fit in a worker thread (the parallel layout needs one), as the reducer's worker runs it. */
function fitInWorker(knn: KnnGraph, options: Partial<FastUmapOptions>, niceness?: number, onWorker?: (w: Worker) => void): Promise<WorkerFit> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./parallelFitWorker.js', import.meta.url), { workerData: { knn, options, niceness } });
    onWorker?.(w);
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => (code !== 0 ? reject(new Error(`worker exited with ${code}`)) : undefined));
  });
}

// The same data and seeds as the hashes below were taken with, before the parallel layout existed.
const small = syntheticClusters({ n: 1000, dim: 32, clusters: 6, seed: 5, spread: 0.6 });
const smallKnn = bruteForceKnn(small.x, 15, 'cosine');

test('one thread gives bit for bit the layout of the single-threaded kernel it replaced', async () => {
  const expected = {
    spectral: '2d18f8db2628a2f01f68065fa00718da4c3ce8b10cb9ae4ceb30b4ed8106d419',
    random: 'f7720a89b005d080727796780fe7ef2725e9e6f42db257cc03ed5875a8a4d171',
  };
  for (const init of ['spectral', 'random'] as const) {
    assert.equal(sha256(fastUmap(smallKnn, { seed: 9, nEpochs: 60, init }, small.x)), expected[init], `${init}, default threads`);
    assert.equal(sha256(fastUmap(smallKnn, { seed: 9, nEpochs: 60, init, threads: 1 }, small.x)), expected[init], `${init}, threads 1`);
    // on the main thread more threads fall back to one (the caller would block its event loop)
    assert.equal(sha256(fastUmap(smallKnn, { seed: 9, nEpochs: 60, init, threads: 2 }, small.x)), expected[init], `${init}, threads 2 on the main thread`);
  }
  // in a worker too, where threads: 1 never starts a helper
  const w = await fitInWorker(smallKnn, { seed: 9, nEpochs: 60, init: 'random', threads: 1 });
  assert.equal(w.threads, 1);
  assert.equal(sha256(w.y), expected.random);
});

// 2,000 points in 12 clusters (64-d): about 45k edges, above the parallel layout's threshold.
const big = syntheticClusters({ n: 2000, dim: 64, clusters: 12, seed: 31, spread: 0.7 });
const bigKnn = bruteForceKnn(big.x, 15, 'cosine');

function quality(y: Float32Array): { trust: number; acc: number } {
  const m: Matrix = createMatrix(big.x.rows, 5, y);
  return { trust: trustworthiness(big.x, m, 15, 'cosine'), acc: knnAccuracy(m, big.labels, 15) };
}

test('two threads: the same trustworthiness (within 0.01) and cluster separation as one, and the helper did its share', async () => {
  const opts = { seed: 4, nEpochs: 200, init: 'random' as const };
  const one = await fitInWorker(bigKnn, { ...opts, threads: 1 });
  const two = await fitInWorker(bigKnn, { ...opts, threads: 2 });
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  assert.ok(two.stats, 'the parallel layout ran');
  assert.equal(two.stats!.threads, 2);
  assert.ok(two.y.every(Number.isFinite), 'finite coordinates');
  // the helper ran tickets, unless it never got to start before the calling thread had taken them all
  if (two.stats!.helpersStarted > 0) assert.ok(two.stats!.helperShare > 0, JSON.stringify(two.stats));
  const q1 = quality(one.y);
  const q2 = quality(two.y);
  assert.ok(Math.abs(q2.trust - q1.trust) <= 0.01, `trustworthiness: 1 thread ${q1.trust}, 2 threads ${q2.trust}`);
  assert.ok(q1.trust >= 0.9, `trustworthiness ${q1.trust}`);
  assert.ok(q2.acc >= 0.95 && Math.abs(q2.acc - q1.acc) <= 0.02, `15-NN accuracy in the layout: 1 thread ${q1.acc}, 2 threads ${q2.acc}`);
});

test('three threads (more than the cores) still give a good layout', async () => {
  const r = await fitInWorker(bigKnn, { seed: 5, nEpochs: 100, threads: 3 });
  assert.equal(r.stats!.threads, 3);
  const q = quality(r.y);
  assert.ok(q.trust >= 0.9 && q.acc >= 0.95, JSON.stringify(q));
});

test('FastUmapReducer.fit with threads 2: the setting reaches the layout in the reducer\'s worker', async () => {
  const y = await new FastUmapReducer({ seed: 6, nEpochs: 100, threads: 2 }).fit(big.x, bigKnn);
  const q = quality(y.data);
  assert.ok(q.trust >= 0.9 && q.acc >= 0.95, JSON.stringify(q));
});

test('helper threads are gone after a fit, and run at the nice value of the thread that started them', { skip: !linux }, async (t) => {
  const base = threadCount();
  const baseNice = threadNiceness();
  const ownNice = Math.max(...baseNice);
  if (ownNice >= 7) return t.skip(`this process already runs at nice ${ownNice}`);
  let maxAtSeven = 0;
  let maxThreads = 0;
  const timer = setInterval(() => {
    maxAtSeven = Math.max(maxAtSeven, threadNiceness().filter((n) => n === 7).length);
    maxThreads = Math.max(maxThreads, threadCount());
  }, 10);
  try {
    // long enough (300 epochs) for the poll to see the helper
    const r = await fitInWorker(bigKnn, { seed: 7, nEpochs: 300, init: 'random', threads: 2 }, 7);
    assert.equal(r.stats!.threads, 2);
  } finally {
    clearInterval(timer);
  }
  assert.ok(maxThreads >= base + 2, `the worker and its helper were seen (${maxThreads} threads, ${base} before)`);
  assert.equal(maxAtSeven, 2, 'the fitting thread and its helper at nice 7, no other thread');
  assert.ok(await eventually(() => threadCount() <= base), `threads back to ${base}: ${threadCount()}`);
});

test('a fit terminated in the middle (a refit past its deadline) leaves no helper thread running', { skip: !linux }, async () => {
  const base = threadCount();
  let worker: Worker | null = null;
  const fit = fitInWorker(bigKnn, { seed: 8, nEpochs: 100_000, init: 'random', threads: 2 }, undefined, (w) => (worker = w)).catch((e: unknown) => e);
  // the fitting worker and its helper are both up
  assert.ok(await eventually(() => threadCount() >= base + 2), 'the helper started');
  await worker!.terminate();
  await fit;
  assert.ok(await eventually(() => threadCount() <= base), `threads back to ${base}: ${threadCount()}`);
});

test('a process whose fit used helper threads exits by itself (they do not keep it alive)', { timeout: 300_000 }, async () => {
  const reducer = new URL('../../src/reduce/createReducer.js', import.meta.url).href;
  const synthetic = new URL('../knn/synthetic.js', import.meta.url).href;
  const brute = new URL('../../src/knn/bruteForceKnn.js', import.meta.url).href;
  const script = `
    const { FastUmapReducer } = await import(${JSON.stringify(reducer)});
    const { syntheticClusters } = await import(${JSON.stringify(synthetic)});
    const { bruteForceKnn } = await import(${JSON.stringify(brute)});
    const { x } = syntheticClusters({ n: 1500, dim: 16, clusters: 5, seed: 1 });
    const y = await new FastUmapReducer({ seed: 1, nEpochs: 50, threads: 2 }).fit(x, bruteForceKnn(x, 15, 'cosine'));
    console.log('rows', y.rows);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  assert.match(out, /rows 1500/);
});
