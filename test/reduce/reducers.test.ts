import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMatrix, type KnnGraph, type Matrix } from '../../src/core/types.js';
import { buildKnnGraph } from '../../src/knn/buildKnnGraph.js';
import { hnsw } from '../helpers/hnsw.js';
import { createReducer, FastUmapReducer, PcaReducer, UmapJsReducer } from '../../src/reduce/createReducer.js';
import { trustworthiness } from '../../src/reduce/quality/trustworthiness.js';
import { knnAccuracy } from '../../src/reduce/quality/knnAccuracy.js';
import { syntheticClusters } from '../knn/synthetic.js';

// 1200 points, 8 clusters in 64-d: big enough for UMAP to mean something, small enough for CI.
const { x, labels } = syntheticClusters({ n: 1200, dim: 64, clusters: 8, seed: 21, spread: 0.6 });
const knn = buildKnnGraph(x, 15, hnsw({ seed: 1 }));

function hasNaN(m: Matrix): boolean {
  return m.data.some((v) => !Number.isFinite(v));
}

for (const method of ['fast-umap', 'umap-js'] as const) {
  test(`${method} in a worker: 5-d output, progress, trustworthy, clusters stay apart, main thread free`, async () => {
    const reducer = createReducer(method, { seed: 7 });
    const progress: Array<[number, number]> = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const y = await reducer.fit(x, knn, (done, total) => progress.push([done, total]));
    clearInterval(timer);
    assert.equal(y.rows, 1200);
    assert.equal(y.cols, 5);
    assert.ok(!hasNaN(y));
    assert.ok(progress.length > 0, 'progress reported');
    const [lastDone, lastTotal] = progress[progress.length - 1]!;
    assert.equal(lastDone, lastTotal);
    assert.ok(ticks > 0, 'the event loop kept running during the fit');
    const tw = trustworthiness(x, y, 15, 'cosine');
    const acc = knnAccuracy(y, labels, 15);
    assert.ok(tw >= 0.9, `trustworthiness ${tw}`);
    assert.ok(acc >= 0.95, `kNN accuracy ${acc}`);
  });
}

test('fast-umap: same seed, same output; other seed, other output; worker == inline', async () => {
  const a = await new FastUmapReducer({ seed: 3, nEpochs: 100 }, { inline: true }).fit(x, knn);
  const b = await new FastUmapReducer({ seed: 3, nEpochs: 100 }, { inline: true }).fit(x, knn);
  const c = await new FastUmapReducer({ seed: 4, nEpochs: 100 }, { inline: true }).fit(x, knn);
  const w = await new FastUmapReducer({ seed: 3, nEpochs: 100 }).fit(x, knn);
  assert.deepEqual(a.data, b.data);
  assert.deepEqual(w.data, a.data);
  assert.notDeepEqual(a.data, c.data);
});

test('umap-js: same seed, same output', async () => {
  const small = syntheticClusters({ n: 400, dim: 32, clusters: 4, seed: 2 });
  const g = buildKnnGraph(small.x, 15, hnsw());
  const a = await new UmapJsReducer({ seed: 11, nEpochs: 50 }, { inline: true }).fit(small.x, g);
  const b = await new UmapJsReducer({ seed: 11, nEpochs: 50 }).fit(small.x, g);
  const c = await new UmapJsReducer({ seed: 12, nEpochs: 50 }, { inline: true }).fit(small.x, g);
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
});

test('fast-umap init options all work (spectral, pca, random)', async () => {
  for (const init of ['spectral', 'pca', 'random'] as const) {
    const y = await new FastUmapReducer({ seed: 1, init, nEpochs: 60 }, { inline: true }).fit(x, knn);
    assert.ok(!hasNaN(y), init);
    assert.ok(knnAccuracy(y, labels, 15) >= 0.9, `${init}: accuracy`);
  }
});

test('fast-umap on a disconnected graph (far-apart groups) keeps every group together', async () => {
  // 6 tight groups far apart: the 15-NN graph falls apart into (at least) 6 components
  const g6 = syntheticClusters({ n: 600, dim: 32, clusters: 6, seed: 5, spread: 0.05, noise: 0.001 });
  const gk = buildKnnGraph(g6.x, 15, hnsw());
  const y = await new FastUmapReducer({ seed: 2, nEpochs: 100 }, { inline: true }).fit(g6.x, gk);
  assert.ok(!hasNaN(y));
  assert.equal(knnAccuracy(y, g6.labels, 10), 1);
});

test('fast-umap with many components (> 2 * nComponents): placed by the PCA of their centroids', async () => {
  const g12 = syntheticClusters({ n: 600, dim: 32, clusters: 12, seed: 8, spread: 0.05, noise: 0.001 });
  const y = await new FastUmapReducer({ seed: 2, nEpochs: 100 }, { inline: true }).fit(g12.x, buildKnnGraph(g12.x, 15, hnsw()));
  assert.ok(!hasNaN(y));
  assert.equal(knnAccuracy(y, g12.labels, 10), 1);
});

test('fast-umap on a connected graph (one component) is trustworthy', async () => {
  // one cluster with a 4-d spread: a single connected k-NN graph, the plain spectral path
  const c = syntheticClusters({ n: 800, dim: 32, clusters: 1, seed: 4, spread: 1, rank: 4 });
  const y = await new FastUmapReducer({ seed: 2, nEpochs: 200 }, { inline: true }).fit(c.x, buildKnnGraph(c.x, 15, hnsw()));
  assert.ok(!hasNaN(y));
  const tw = trustworthiness(c.x, y, 15, 'cosine');
  assert.ok(tw >= 0.9, `trustworthiness ${tw}`);
});

test('pca reducer through createReducer (worker), and the name check', async () => {
  const y = await createReducer('pca', { nComponents: 5, seed: 1 }).fit(x, knn);
  assert.equal(y.cols, 5);
  assert.ok(!hasNaN(y));
  assert.ok(knnAccuracy(y, labels, 15) >= 0.9);
  const inline = await new PcaReducer({ nComponents: 5, seed: 1 }, { inline: true }).fit(x, knn);
  assert.deepEqual(inline.data, y.data);
  assert.throws(() => createReducer('tsne'), /unknown reducer "tsne"/);
});

test('errors inside the worker reject the fit with the reason', async () => {
  const short: KnnGraph = { n: knn.n, k: 5, indices: new Int32Array(knn.n * 5), distances: new Float32Array(knn.n * 5) };
  await assert.rejects(createReducer('fast-umap').fit(x, short), /needs at least/);
  await assert.rejects(createReducer('umap-js').fit(x, short), /needs at least/);
  await assert.rejects(createReducer('fast-umap').fit(createMatrix(3, 64), knn), /rows/);
});

test('transferInputs hands the buffers over (detached after) and still works', async () => {
  const xc = createMatrix(x.rows, x.cols, x.data.slice());
  const kc: KnnGraph = { n: knn.n, k: knn.k, indices: knn.indices.slice(), distances: knn.distances.slice() };
  const y = await new FastUmapReducer({ seed: 3, nEpochs: 100 }, { transferInputs: true }).fit(xc, kc);
  assert.equal(xc.data.length, 0, 'x detached');
  assert.equal(kc.indices.length, 0, 'k-NN detached');
  const ref = await new FastUmapReducer({ seed: 3, nEpochs: 100 }, { inline: true }).fit(x, knn);
  assert.deepEqual(y.data, ref.data);
});

test('aborting a fit terminates the worker and rejects', async () => {
  const ctl = new AbortController();
  const fit = new FastUmapReducer({ seed: 1, nEpochs: 5000 }, { signal: ctl.signal }).fit(x, knn, (done) => {
    if (done >= 1) ctl.abort('shutdown');
  });
  await assert.rejects(fit, (e: Error) => e.name === 'AbortError' && /shutdown/.test(e.message));
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(new FastUmapReducer({}, { signal: pre.signal }).fit(x, knn), { name: 'AbortError' });
});
