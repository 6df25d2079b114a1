/**
 * Our HDBSCAN against the Python `hdbscan` package (fixtures from
 * test/fixtures/cluster/make_fixtures.py). Three levels:
 * 1. minimum spanning tree: the sorted edge weights of every MST of a graph are the same, so ours
 *    must equal the package's exact tree's, whatever ties were broken differently;
 * 2. tree stages fed with the package's own single-linkage tree (condensing, stability, eom/leaf,
 *    epsilon, allow_single_cluster, labels, probabilities, GLOSH, approximate_predict): identical;
 * 3. end to end: close. Equal mutual reachability distances (about 10% of MST edges on continuous
 *    data) make the single-linkage tree not unique, and the package's two algorithms (default
 *    approximate Borůvka, exact Prim) disagree with each other by as much as we do; leaf selection
 *    is the most sensitive (the package's own default-vs-exact ARI is 0.58 on blobs2d, 0.66 on
 *    gridded2d), so its end-to-end bounds are loose and level 2 is what pins it down.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitHdbscan, fitHdbscanFromLinkage } from '../../src/cluster/hdbscan.js';
import { approximatePredict } from '../../src/cluster/predict.js';
import { buildKdTree } from '../../src/cluster/kdtree.js';
import { coreDistances } from '../../src/cluster/coreDistances.js';
import { boruvkaMst } from '../../src/cluster/mstBoruvka.js';
import { singleLinkage } from '../../src/cluster/singleLinkage.js';
import { loadReference } from './referenceFixtures.js';
import { compareOutputs, maxAbsDiff } from './referenceMetrics.js';

const datasets = loadReference();
const label = (ds: string, py: Record<string, unknown>): string => `${ds} ${JSON.stringify(py)}`;

describe('minimum spanning tree', () => {
  for (const ds of datasets) {
    for (const [ms, ref] of ds.linkages) {
      it(`${ds.name} min_samples=${ms}: sorted MST weights equal the package's exact tree`, () => {
        const n = ds.points.rows;
        const tree = buildKdTree(ds.points.data, n, ds.points.cols);
        const cd = coreDistances(tree, ms + 1, ms);
        const ours = singleLinkage(boruvkaMst(tree, cd.core, cd.neighbours, cd.k), n).distance;
        assert.equal(ours.length, ref.distance.length);
        const theirs = Float64Array.from(ref.distance).sort();
        for (let i = 0; i < ours.length; i++) {
          assert.ok(Math.abs(ours[i] - theirs[i]) <= 1e-12 * Math.max(1, theirs[i]), `edge ${i}: ${ours[i]} vs ${theirs[i]}`);
        }
      });
    }
  }
});

describe('tree stages on the package\'s own single-linkage tree', () => {
  for (const ds of datasets) {
    for (const run of ds.runs) {
      it(`${label(ds.name, run.pyParams)}: labels, probabilities, GLOSH, persistence, prediction identical`, () => {
        const model = fitHdbscanFromLinkage(ds.points, ds.linkages.get(run.minSamples)!, run.params);
        assert.deepEqual(Array.from(model.labels), Array.from(run.exact.labels));
        assert.ok(maxAbsDiff(model.probabilities, run.exact.probabilities) <= 1e-12, 'probabilities');
        assert.ok(maxAbsDiff(model.outlierScores, run.exact.outlierScores) <= 1e-12, 'outlier scores');
        assert.ok(maxAbsDiff(model.persistence, run.exact.persistence) <= 1e-9, 'persistence');

        const pred = approximatePredict(model, ds.heldout);
        let same = 0;
        for (let i = 0; i < pred.labels.length; i++) {
          if (pred.labels[i] !== run.exact.predictLabels[i]) continue;
          same++;
          assert.ok(Math.abs(pred.probabilities[i] - run.exact.predictProbabilities[i]) <= 1e-12, `prediction probability ${i}`);
        }
        // gridded2d has duplicate points: equally near neighbours come out of the two kd-trees in
        // different orders, and the first one wins (98% agree there, 100% elsewhere)
        const minAgree = ds.name === 'gridded2d' ? 0.97 : 1;
        assert.ok(same / pred.labels.length >= minAgree, `prediction agreement ${same / pred.labels.length}`);
      });
    }
  }
});

describe('end to end against the package', () => {
  for (const ds of datasets) {
    for (const run of ds.runs) {
      const leaf = run.params.clusterSelectionMethod === 'leaf';
      it(`${label(ds.name, run.pyParams)}`, () => {
        const model = fitHdbscan(ds.points, run.params);
        const pred = approximatePredict(model, ds.heldout);
        const fast = compareOutputs(model, pred, run.fast);
        const exact = compareOutputs(model, pred, run.exact);
        const ari = Math.max(fast.ari, exact.ari);
        const detail = JSON.stringify({ fast, exact, pyFastVsExact: run.ariFastVsExact });
        if (!leaf) {
          // measured: min 0.9963 vs exact (gridded2d 0.9961), 0.9892..1 vs the default
          assert.ok(ari >= 0.99, `ARI ${ari} ${detail}`);
          // measured: min 0.9655 (gridded2d); blobs5d 0.992 vs exact, 0.948 vs the default
          assert.ok(Math.max(fast.noiseJaccard, exact.noiseJaccard) >= 0.95, `noise Jaccard ${detail}`);
          // measured: max 0.0047
          assert.ok(exact.probMae <= 0.01, `probability MAE ${detail}`);
          // measured: 1.0 vs exact (0.904 vs the default on blobs5d, whose MST is approximate)
          assert.ok(Math.max(fast.predictAgree, exact.predictAgree) >= 0.95, `prediction agreement ${detail}`);
          assert.equal(model.selected.length, run.nClusters);
        } else {
          // measured: 0.71 (gridded2d), 0.82 (aniso2d), >= 0.98 elsewhere; the package's own
          // default-vs-exact ARI goes down to 0.58 on these data
          assert.ok(ari >= 0.7, `ARI ${ari} ${detail}`);
          assert.ok(Math.abs(model.selected.length - exact.refClusters) <= 2, `clusters ${detail}`);
        }
      });
    }
  }
});
