/**
 * Hand-run (not a test): the refit's cluster job (src/stream/refit/refitJobs.ts: k-NN graph, UMAP,
 * HDBSCAN) on a 20k window of real tweet embeddings, with knn.graph hnsw and nndescent, config
 * defaults otherwise. Reports each stage's seconds, the topics, and how much the clusterings agree
 * (NMI, ARI), next to the agreement of two HNSW runs with different seeds (the noise floor: UMAP's
 * seed alone moves the clusters that much).
 *   node dist/bench/knn/refitGraph.js <embeddings> [n] [out.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { configSchema } from '../../src/config/schema.js';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { normalizedMutualInfo } from '../../src/eval/nmi.js';
import { runClusterJob } from '../../src/stream/refit/refitJobs.js';
import { loadRows } from './loadRows.js';

const src = process.argv[2];
if (!src) throw new Error('usage: refitGraph.js <embeddings> [n] [out.json]');
const x = loadRows(src, Number(process.argv[3] ?? 20000));
const outFile = process.argv[4] ?? 'bench/knn/results/refit-graph-tweets-20000.json';
const load = (): number[] => os.loadavg().map((v) => Math.round(v * 100) / 100);

const runs: Array<{ graph: string; seed: number; seconds: Record<string, number>; cpuSeconds: number; loadBefore: number[]; topics: number; outlierShare: number; labels: Int32Array }> = [];
for (const [graph, seed] of [['nndescent', 42], ['hnsw', 42], ['hnsw', 43], ['nndescent', 43]] as const) {
  const config = configSchema.parse({ knn: { graph } });
  const loadBefore = load();
  const c0 = process.cpuUsage();
  const t = performance.now();
  const r = runClusterJob(config, { embeddings: x.data, n: x.rows, dim: x.cols, seed });
  const total = (performance.now() - t) / 1000;
  const c = process.cpuUsage(c0);
  const labels = r.labels;
  const topics = new Set(Array.from(labels).filter((l) => l >= 0)).size;
  const outlierShare = Array.from(labels).filter((l) => l < 0).length / x.rows;
  runs.push({ graph, seed, seconds: { ...r.seconds, total }, cpuSeconds: (c.user + c.system) / 1e6, loadBefore, topics, outlierShare, labels });
  console.log(`${graph} seed ${seed}: ${JSON.stringify(r.seconds)} total ${total.toFixed(1)} s, ${topics} topics, ${(outlierShare * 100).toFixed(1)}% outliers (load ${loadBefore.join(' ')})`);
}
const agree = (a: number, b: number) => ({
  nmi: normalizedMutualInfo(runs[a]!.labels, runs[b]!.labels),
  ari: adjustedRandIndex(runs[a]!.labels, runs[b]!.labels),
});
const agreement = {
  nndescentVsHnswSeed42: agree(0, 1),
  nndescentVsHnswSeed43: agree(3, 2),
  hnswSeed42VsSeed43: agree(1, 2),
  nndescentSeed42VsSeed43: agree(0, 3),
};
console.log(JSON.stringify(agreement));
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify({
  date: new Date().toISOString(),
  commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim(),
  source: src, n: x.rows, dim: x.cols,
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
  runs: runs.map(({ labels: _labels, ...r }) => r),
  agreement,
}, null, 1));
console.log(`-> ${outFile}`);
