/**
 * predictTopics (src/pipeline/predictTopics.ts): placing new embeddings in a fit's layout and
 * predicting their topics. On the toolbox fixture's real embeddings (400 posts of 8 newsgroups),
 * with an 8-d PCA layout and our HDBSCAN over it, so the test needs no UMAP run and no model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createMatrix } from '../../src/core/types.js';
import { fitHdbscan } from '../../src/cluster/hdbscan.js';
import { readNpy } from '../../src/model/npy.js';
import { pca } from '../../src/reduce/pca.js';
import { placeInLayout, predictTopics } from '../../src/pipeline/predictTopics.js';
import { FIXTURES } from '../helpers/paths.js';

const x = readNpy(path.join(FIXTURES, 'toolbox', 'embeddings.npy'));
const layout = pca(x, 8).scores;
const model = fitHdbscan(layout, { minClusterSize: 5 });
const hnsw = { M: 16, efConstruction: 200, efSearch: 100, seed: 42 };
const nLabels = model.selected.length;

test('a fitted document placed with one neighbour lands on its own coordinates', () => {
  const rows = [0, 57, 399];
  const q = createMatrix(rows.length, x.cols, Float32Array.from(rows.flatMap((r) => Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols)))));
  const placed = placeInLayout(x, layout, q, { nNeighbors: 1, hnsw });
  rows.forEach((r, i) => assert.deepEqual(placed.data.subarray(i * 8, i * 8 + 8), layout.data.subarray(r * 8, r * 8 + 8)));
});

test('the fitted documents themselves get back their clusters, mapped to topics; the rest is noise or a cluster', () => {
  assert.ok(nLabels >= 4, `${nLabels} clusters`);
  // topics after a reduction: clusters pairwise merged, numbered backwards
  const clusterTopics = Int32Array.from({ length: nLabels }, (_, l) => Math.floor((nLabels - 1 - l) / 2));
  const p = predictTopics({ embeddings: x, reduced: layout, model, clusterTopics }, x, { nNeighbors: 15, hnsw });
  let agree = 0;
  let clustered = 0;
  for (let i = 0; i < x.rows; i++) {
    const l = model.labels[i]!;
    assert.ok(p.topics[i] === -1 || (p.topics[i]! >= 0 && p.topics[i]! <= Math.floor((nLabels - 1) / 2)));
    assert.equal(p.topics[i] === -1, p.probabilities[i] === 0, 'probability 0 exactly for outliers');
    if (l < 0) continue;
    clustered++;
    if (p.topics[i] === clusterTopics[l]) agree++;
  }
  assert.ok(agree / clustered > 0.85, `${agree} of ${clustered} clustered documents predicted in their topic`);
  assert.equal(p.reduced.rows, x.rows);
  assert.equal(p.reduced.cols, 8);
});

test('new embeddings of another dimension are refused', () => {
  assert.throws(() => placeInLayout(x, layout, createMatrix(1, 8, new Float32Array(8)), { nNeighbors: 5, hnsw }), /384 dimensions, the new ones 8/);
});
