/**
 * Measures HNSW k-NN graph recall against brute force (not a test: run by hand).
 * node dist/bench/knn/measureRecall.js [n] [dim]
 */
import { buildKnnGraph } from '../../src/knn/buildKnnGraph.js';
import { bruteForceKnn } from '../../src/knn/bruteForceKnn.js';
import { knnRecall } from '../../src/knn/recall.js';
import { syntheticClusters, randomSphere } from '../../test/knn/synthetic.js';
import type { Matrix } from '../../src/core/types.js';
import { loadEmbeddings } from '../reduce/realData.js';

const n = Number(process.argv[2] ?? 3000);
const dim = Number(process.argv[3] ?? 384);
const k = 15;
const sets: Array<[string, () => Matrix]> = [
  ['clusters(20, rank 8)', () => syntheticClusters({ n, dim, clusters: 20, seed: 3 }).x],
  ['uniform sphere', () => randomSphere(n, dim, 5)],
];
const real = process.env.EMB;
if (real) sets.push([`real ${real}`, () => loadEmbeddings(real, n).x]);
for (const [name, make] of sets) {
  const x = make();
  let t = performance.now();
  const exact = bruteForceKnn(x, k);
  const tExact = performance.now() - t;
  for (const [M, efC, efS] of (process.env.GRID === 'small' ? [[16, 200, 64]] : [[16, 200, 64], [16, 100, 32], [16, 200, 16], [32, 200, 64], [16, 200, 128]]) as ReadonlyArray<readonly [number, number, number]>) {
    t = performance.now();
    const g = buildKnnGraph(x, k, { M, efConstruction: efC, efSearch: efS, seed: 1 });
    const tg = performance.now() - t;
    console.log(`${name} n=${x.rows} M=${M} efC=${efC} efS=${efS}: recall ${knnRecall(g, exact).toFixed(4)}  hnsw ${(tg / 1000).toFixed(2)} s  (brute ${(tExact / 1000).toFixed(1)} s)`);
  }
}
