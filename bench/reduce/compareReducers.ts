/**
 * Hand-run comparison of reducers (not a test): time, peak memory, trustworthiness (k=15) and
 * leave-one-out 15-NN accuracy in the output.
 *   node dist/bench/reduce/compareReducers.js <n> <methods,comma,separated> [embeddingsBase]
 * Without embeddingsBase: synthetic clusters (20 clusters, 384-d). Quality metrics on at most
 * QUALITY_N points (O(n^2)); set QUALITY_N=0 to skip them.
 */
import { buildKnnGraph } from '../../src/knn/buildKnnGraph.js';
import { hnsw } from '../../test/helpers/hnsw.js';
import { createMatrix, type Matrix } from '../../src/core/types.js';
import { reduceSync } from '../../src/reduce/reduceSync.js';
import { DEFAULT_REDUCER_SETTINGS, isReducerMethod, type ReducerSettings } from '../../src/reduce/settings.js';
import { trustworthiness } from '../../src/reduce/quality/trustworthiness.js';
import { knnAccuracy } from '../../src/reduce/quality/knnAccuracy.js';
import { syntheticClusters } from '../../test/knn/synthetic.js';
import { loadEmbeddings } from './realData.js';
import { writeFileSync } from 'node:fs';

const n = Number(process.argv[2] ?? 5000);
const methods = (process.argv[3] ?? 'fast-umap').split(',');
const base = process.argv[4];
const qualityN = Number(process.env.QUALITY_N ?? 3000);
const extra = JSON.parse(process.env.SETTINGS ?? '{}') as Partial<ReducerSettings>;

const { x, labels } = base ? loadEmbeddings(base, n) : syntheticClusters({ n, dim: 384, clusters: 20, seed: 3 });
let t = performance.now();
const c0 = process.cpuUsage();
const knn = buildKnnGraph(x, 15, hnsw());
const cg = process.cpuUsage(c0);
console.log(`n=${x.rows} d=${x.cols}: knn graph wall ${((performance.now() - t) / 1000).toFixed(1)} s, cpu ${((cg.user + cg.system) / 1e6).toFixed(1)} s`);

function subset(m: Matrix, rows: number): Matrix {
  return createMatrix(rows, m.cols, m.data.subarray(0, rows * m.cols));
}

for (const method of methods) {
  if (!isReducerMethod(method)) throw new Error(`bad method ${method}`);
  const s: ReducerSettings = { ...DEFAULT_REDUCER_SETTINGS, ...extra };
  const rss0 = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const phases: Record<string, number> = {};
  const out = reduceSync(method, s, knn, x, undefined, phases);
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const rss = process.resourceUsage().maxRSS * 1024;
  const y = createMatrix(x.rows, s.nComponents, out);
  if (process.env.SAVE) writeFileSync(`${process.env.SAVE}.${method}.f32`, Buffer.from(out.buffer));
  let q = '';
  if (qualityN > 0) {
    const m = Math.min(qualityN, x.rows);
    // the first m rows: data is shuffled or round-robin by cluster, so any prefix is representative
    const tw = trustworthiness(subset(x, m), subset(y, m), 15, 'cosine');
    q = ` trust@15(first ${m}) ${tw.toFixed(4)}`;
    if (labels) q += ` knnAcc@15(all) ${knnAccuracy(y, labels, 15).toFixed(4)} (input-space ${knnAccuracy(x, labels, 15, 'cosine').toFixed(4)})`;
  }
  const ph = Object.keys(phases).length ? ' ' + JSON.stringify(Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)]))) : '';
  console.log(`${method}: wall ${(ms / 1000).toFixed(1)} s, cpu ${cpuS.toFixed(1)} s, peak RSS ${(rss / 2 ** 30).toFixed(2)} GB (rss before ${(rss0 / 2 ** 30).toFixed(2)} GB)${q}${ph}`);
}
