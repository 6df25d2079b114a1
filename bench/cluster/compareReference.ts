/**
 * Prints how the TypeScript HDBSCAN compares with the Python package on every reference run
 * (not a test; the numbers behind the thresholds in hdbscanFixtures.test.ts):
 *   npx tsc -p tsconfig.json && node dist/bench/cluster/compareReference.js
 * Columns: vs the package's default run (fast), vs its exact run (exact), and our tree stages fed
 * with the exact run's single-linkage tree (tree: should be identical).
 */
import { fitHdbscan, fitHdbscanFromLinkage } from '../../src/cluster/hdbscan.js';
import { approximatePredict } from '../../src/cluster/predict.js';
import { compareOutputs, maxAbsDiff, type Agreement } from '../../test/cluster/referenceMetrics.js';
import { loadReference } from '../../test/cluster/referenceFixtures.js';

const fmt = (a: Agreement): string =>
  `k=${a.clusters}/${a.refClusters} ari=${a.ari.toFixed(4)} noiseJ=${a.noiseJaccard.toFixed(4)} pMae=${a.probMae.toFixed(4)} ` +
  `pred=${a.predictAgree.toFixed(3)} predPMae=${a.predictProbMae.toFixed(4)}`;

for (const ds of loadReference()) {
  for (const run of ds.runs) {
    const model = fitHdbscan(ds.points, run.params);
    const pred = approximatePredict(model, ds.heldout);
    const viaTree = fitHdbscanFromLinkage(ds.points, ds.linkages.get(run.minSamples)!, run.params);
    const predTree = approximatePredict(viaTree, ds.heldout);
    const t = compareOutputs(viaTree, predTree, run.exact);
    console.log(`${ds.name} ${JSON.stringify(run.pyParams)}  py fast-vs-exact ari=${run.ariFastVsExact.toFixed(4)}`);
    console.log(`   fast : ${fmt(compareOutputs(model, pred, run.fast))}`);
    console.log(`   exact: ${fmt(compareOutputs(model, pred, run.exact))}`);
    console.log(`   tree : ${fmt(t)} maxProbDiff=${maxAbsDiff(viaTree.probabilities, run.exact.probabilities).toExponential(1)} ` +
      `maxGloshDiff=${maxAbsDiff(viaTree.outlierScores, run.exact.outlierScores).toExponential(1)} ` +
      `maxPredPDiff=${maxAbsDiff(predTree.probabilities, run.exact.predictProbabilities).toExponential(1)} ` +
      `persist=${maxAbsDiff(viaTree.persistence, run.exact.persistence).toExponential(1)}`);
  }
}
