/**
 * Hand-run (not a test): how much a fast-umap result depends on the seed, per init method.
 * For seeds 1 and 2: HDBSCAN (BERTopic defaults) on each 5-d output, then ARI between the two
 * clusterings, ARI against the labels (if any), and the mean overlap of each point's 15 nearest
 * neighbours in the two outputs.
 *   node dist/bench/reduce/seedStability.js <embeddingsBase> <n> [inits=spectral,random] [nEpochs]
 */
import { buildKnnGraph } from '../../src/knn/buildKnnGraph.js';
import { hnsw } from '../../test/helpers/hnsw.js';
import { bruteForceKnn } from '../../src/knn/bruteForceKnn.js';
import { createMatrix } from '../../src/core/types.js';
import { fastUmap } from '../../src/reduce/fast/fastUmap.js';
import type { InitMethod } from '../../src/reduce/fast/initialLayout.js';
import { HdbscanClusterer } from '../../src/cluster/hdbscanClusterer.js';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { loadEmbeddings } from './realData.js';

const [base, nArg, initsArg, epochsArg] = process.argv.slice(2);
const { x, labels } = loadEmbeddings(base!, Number(nArg));
const knn = buildKnnGraph(x, 15, hnsw());
for (const init of (initsArg ?? 'spectral,random').split(',') as InitMethod[]) {
  const outs = [];
  for (const seed of [1, 2]) {
    const c0 = process.cpuUsage();
    const phases: Record<string, number> = {};
    const y = createMatrix(x.rows, 5, fastUmap(knn, { seed, init, ...(epochsArg ? { nEpochs: Number(epochsArg) } : {}) }, x, undefined, phases));
    const cpu = process.cpuUsage(c0);
    const { labels: cl } = await new HdbscanClusterer({}).fit(y);
    let nc = 0;
    let noise = 0;
    for (const l of cl) { nc = Math.max(nc, l + 1); if (l < 0) noise++; }
    outs.push({ y, cl });
    const vsTruth = labels ? ` ARI vs labels ${adjustedRandIndex(cl, labels).toFixed(3)}` : '';
    console.log(`${init} seed ${seed}: cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (init ${Math.round(phases.initMs!)} ms wall), ${nc} clusters, ${(noise / x.rows * 100).toFixed(1)}% noise${vsTruth}`);
  }
  const a = bruteForceKnn(outs[0]!.y, 16, 'euclidean');
  const b = bruteForceKnn(outs[1]!.y, 16, 'euclidean');
  let shared = 0;
  for (let i = 0; i < x.rows; i++) {
    const sa = new Set(a.indices.subarray(i * 16 + 1, (i + 1) * 16));
    for (const v of b.indices.subarray(i * 16 + 1, (i + 1) * 16)) if (sa.has(v)) shared++;
  }
  console.log(`${init}: seed 1 vs 2: clustering ARI ${adjustedRandIndex(outs[0]!.cl, outs[1]!.cl).toFixed(3)}, 15-NN overlap ${(shared / (x.rows * 15)).toFixed(3)}`);
}
