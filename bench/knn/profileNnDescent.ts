/**
 * Hand-run driver (not a test) for profiling and quick measurement of our NN-descent alone:
 *
 *   node [--cpu-prof] dist/bench/knn/profileNnDescent.js <embeddings.f32> [n] [repeats]
 *
 * Prints, per run, CPU seconds (process.cpuUsage, all threads), wall seconds, recall@15 against the
 * brute-force graph cached by compareNnDescent.ts (bench/knn/.cache; skipped when absent) and the
 * stats. NND='{"maxCandidates":20,...}' overrides the config's knn.nnDescent options.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import type { KnnGraph } from '../../src/core/types.js';
import { nnDescentKnnWithStats } from '../../src/knn/nnDescent.js';
import { knnRecall } from '../../src/knn/recall.js';
import { nnDescentOptions } from '../../src/pipeline/components.js';
import { loadRows } from './loadRows.js';

const K = 15;
const src = process.argv[2];
if (!src) throw new Error('usage: profileNnDescent.js <embeddings.f32> [n] [repeats]');
const x = loadRows(src, Number(process.argv[3] ?? 18800));
const repeats = Number(process.argv[4] ?? 1);
const config = configSchema.parse({});
const over = JSON.parse(process.env.NND ?? '{}') as Record<string, unknown>;

const cache = path.join('bench', 'knn', '.cache', `${path.basename(src).replace(/[^\w.-]/g, '_')}-${x.rows}-k${K}.i32`);
let exact: KnnGraph | null = null;
if (existsSync(cache)) {
  const buf = readFileSync(cache);
  exact = { n: x.rows, k: K, indices: new Int32Array(buf.buffer, buf.byteOffset, x.rows * K), distances: new Float32Array(x.rows * K) };
}

for (let r = 0; r < repeats; r++) {
  const opts = { ...nnDescentOptions(config, config.seed + r), ...over };
  const load = os.loadavg()[0]!.toFixed(2);
  const t = performance.now();
  const c = process.cpuUsage();
  const { graph, stats } = nnDescentKnnWithStats(x, K, opts);
  const wall = (performance.now() - t) / 1000;
  const cu = process.cpuUsage(c);
  const cpu = (cu.user + cu.system) / 1e6;
  const recall = exact ? knnRecall(graph, exact).toFixed(4) : 'n/a';
  const { treeDistances, joinDistances, joinReused, updates, threads } = stats;
  console.log(`cpu ${cpu.toFixed(3)} s wall ${wall.toFixed(3)} s recall ${recall} load ${load} threads ${threads} trees ${treeDistances} joins ${joinDistances} reused ${joinReused} updates ${updates.join(',')}`);
}
