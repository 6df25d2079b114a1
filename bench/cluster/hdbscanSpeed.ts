/**
 * Fit-time benchmark (not a test): clustered 5-d data like UMAP output, one size per process so
 * peak memory is per size.
 *   node dist/bench/cluster/hdbscanSpeed.js <n> [--out file.f32] [--compare labels.i32] [--dim d] [--prim | --boruvka]
 * Prints one JSON line: n, timings (ms) per step, clusters, noise share, peak RSS (MB).
 * With --out, also writes the points (float32, row-major) so hdbscan_python.py can time the Python
 * package on the same data; with --compare, the ARI with the labels hdbscan_python.py wrote.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { createMatrix, type Matrix } from '../../src/core/types.js';
import { fitHdbscan } from '../../src/cluster/hdbscan.js';
import type { FitTimings } from '../../src/cluster/model.js';

/** Blobs of different sizes and spreads plus 10% uniform background noise, seeded. */
export function clusteredData(n: number, dim = 5, seed = 42): Matrix {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const nBlobs = Math.max(5, Math.round(n / 500));
  const centers = Array.from({ length: nBlobs }, () => Array.from({ length: dim }, () => rand() * 20 - 10));
  const spreads = Array.from({ length: nBlobs }, () => 0.15 + rand() * 0.6);
  const weights = Array.from({ length: nBlobs }, () => 0.2 + rand());
  const wSum = weights.reduce((a, b) => a + b, 0);
  const data = new Float32Array(n * dim);
  const nNoise = Math.round(n * 0.1);
  for (let i = 0; i < n; i++) {
    if (i < nNoise) {
      for (let d = 0; d < dim; d++) data[i * dim + d] = rand() * 24 - 12;
      continue;
    }
    let r = rand() * wSum;
    let b = 0;
    while (b < nBlobs - 1 && (r -= weights[b]) > 0) b++;
    for (let d = 0; d < dim; d++) data[i * dim + d] = centers[b][d] + gauss() * spreads[b];
  }
  return createMatrix(n, dim, data);
}

function main(): void {
  const args = process.argv.slice(2);
  const n = Number(args[0] ?? 5000);
  const outAt = args.indexOf('--out');
  const dimAt = args.indexOf('--dim');
  const x = clusteredData(n, dimAt >= 0 ? Number(args[dimAt + 1]) : 5);
  if (outAt >= 0) writeFileSync(args[outAt + 1], Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength));
  const timings: FitTimings = { coreDistances: 0, mst: 0, tree: 0, total: 0 };
  const mstAlgorithm = args.includes('--prim') ? 'prim' : args.includes('--boruvka') ? 'boruvka' : 'auto';
  const model = fitHdbscan(x, { minClusterSize: 10, mstAlgorithm }, timings);
  let noise = 0;
  let k = 0;
  for (const l of model.labels) {
    if (l < 0) noise++;
    if (l + 1 > k) k = l + 1;
  }
  const round = (v: number): number => Math.round(v);
  const cmpAt = args.indexOf('--compare');
  let ariPython: number | undefined;
  if (cmpAt >= 0) {
    const b = readFileSync(args[cmpAt + 1]);
    const py = new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    ariPython = +adjustedRandIndex(model.labels, py).toFixed(4);
  }
  console.log(JSON.stringify({
    n,
    dim: x.cols,
    mstAlgorithm,
    ms: { core: round(timings.coreDistances), mst: round(timings.mst), tree: round(timings.tree), total: round(timings.total) },
    clusters: k,
    noise: +(noise / n).toFixed(3),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ariPython,
  }));
}

if (process.argv[1] && process.argv[1].endsWith('hdbscanSpeed.js')) main();
