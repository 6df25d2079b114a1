/**
 * One pipeline: `topicstream fit` (fitTopics) and the streaming refit worker's cluster job build
 * their stages in one place (src/pipeline/components.ts) and, given the same embeddings, config
 * and run (seed, UMAP epochs), produce the same clusters. The real check embeds 300 posts of the
 * shipped 20 Newsgroups sample with the real model and runs the refit in its worker thread.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { loadConfig } from '../../src/config/load.js';
import type { Doc, Embedder, Matrix } from '../../src/core/types.js';
import { readDocs } from '../../src/io/readDocs.js';
import { availableParallelism } from 'node:os';
import { buildClusterStages, buildFitStages, createEmbedderFromConfig, fitRun, hnswOptions, knnGraphMethod, nnDescentOptions, reducerSettings, refitRun } from '../../src/pipeline/components.js';
import { nnDescentKnn } from '../../src/knn/nnDescent.js';
import { fitTopics, type FitOutput } from '../../src/pipeline/fitTopics.js';
import { relabelBySize } from '../../src/pipeline/relabel.js';
import { runClusterJob } from '../../src/stream/refit/refitJobs.js';
import { WorkerRefitter } from '../../src/stream/refit/workerRefitter.js';
import { syntheticClusters } from '../knn/synthetic.js';
import { ROOT } from '../helpers/paths.js';

/** The config `fit` needs to reproduce a refit whose job seed is `seed`: same seed, same epochs. */
function fitConfigFor(config: Config, seed: number): Config {
  return { ...config, seed, umap: { ...config.umap, nEpochs: config.stream.refit.umapEpochs } };
}

function noEmbedder(dim: number): Embedder {
  return { dim, modelId: 'given', embed: () => Promise.reject(new Error('embeddings are given')), close: () => Promise.resolve() };
}

async function fitOn(config: Config, embeddings: Matrix, docs?: readonly Doc[]): Promise<FitOutput> {
  const stages = await buildFitStages(config, { embedder: noEmbedder(embeddings.cols) });
  const d = docs ?? Array.from({ length: embeddings.rows }, (_, i) => ({ id: String(i), text: `doc ${i}` }));
  return fitTopics(d, stages, { nNeighbors: config.umap.nNeighbors, embeddings });
}

test('a refit and fit with the refit\'s seed and epochs get the same stage options', () => {
  const config = loadConfig({ env: {}, flags: { seed: 5, umap: { nEpochs: 50 }, stream: { refit: { umapEpochs: 120 } } } });
  const jobSeed = config.seed + 3; // the refit cycle's seed for model version 3
  const fitConfig = fitConfigFor(config, jobSeed);
  assert.deepEqual(fitRun(fitConfig), refitRun(config, jobSeed, 400));
  assert.deepEqual(reducerSettings(fitConfig, fitRun(fitConfig)), reducerSettings(config, refitRun(config, jobSeed, 400)));
  assert.deepEqual(hnswOptions(fitConfig), hnswOptions(config, jobSeed));
  assert.deepEqual(reducerSettings(config, fitRun(config)), { nNeighbors: 15, nComponents: 5, minDist: 0, seed: 5, nEpochs: 50 });
});

test('a large refit (stream.refit.largeWindowDocs) runs fewer epochs on every core; knn.graph auto switches to NN-descent', () => {
  const config = loadConfig({ env: {}, flags: { stream: { refit: { umapEpochs: 120, largeWindowDocs: 1000, largeWindowEpochs: 80 } }, knn: { nnDescentFromDocs: 700 } } });
  assert.deepEqual(refitRun(config, 1, 999), { seed: 1, nEpochs: 120, umapThreads: 1 });
  assert.deepEqual(refitRun(config, 1, 1000), { seed: 1, nEpochs: 80, umapThreads: availableParallelism() });
  const fixed = loadConfig({ env: {}, flags: { stream: { refit: { umapThreads: 3 } } } });
  assert.equal(refitRun(fixed, 1, 10).umapThreads, 3);
  assert.equal(knnGraphMethod(config, 699), 'hnsw');
  assert.equal(knnGraphMethod(config, 700), 'nndescent');
  assert.equal(knnGraphMethod(loadConfig({ env: {}, flags: { knn: { graph: 'hnsw' } } }), 1e6), 'hnsw');
  const x = syntheticClusters({ n: 800, dim: 24, clusters: 4, seed: 2 }).x;
  const stages = buildClusterStages(config, refitRun(config, 1, 800));
  assert.deepEqual(stages.knn(x, 15).indices, nnDescentKnn(x, 15, nnDescentOptions(config, 1)).indices);
});

test('fit and the refit job agree on synthetic data, also with fewer documents than nNeighbors', async () => {
  for (const n of [12, 400]) {
    const config = loadConfig({ env: {}, flags: { hdbscan: { minClusterSize: n < 20 ? 3 : 10 } } });
    const { x } = syntheticClusters({ n, dim: 32, clusters: 4, seed: 3 });
    const job = { embeddings: x.data, n, dim: x.cols, seed: config.seed + 1 };
    const refit = runClusterJob(config, job);
    const fit = await fitOn(fitConfigFor(config, job.seed), x);
    assert.deepEqual(fit.labels, relabelBySize(refit.labels), `n = ${n}`);
    assert.deepEqual(fit.probabilities, refit.probabilities, `n = ${n}`);
  }
});

test('the refit worker and fit produce identical clusters on real embeddings (300 posts of 20 Newsgroups)', async () => {
  const config = loadConfig({ env: {}, flags: { embedding: { longText: 'truncate', workers: 2 } } });
  const { docs } = await readDocs(path.join(ROOT, 'data', '20ng-sample.jsonl.gz'), { ...config.input, limit: 300 });
  const embedder = await createEmbedderFromConfig(config);
  let embeddings: Matrix;
  try {
    embeddings = await embedder.embed(docs.map((d) => d.text));
  } finally {
    await embedder.close();
  }

  // the refit, in its worker thread, as the refit cycle asks for model version 4
  const job = { embeddings: embeddings.data, n: docs.length, dim: embeddings.cols, seed: config.seed + 4 };
  const refitter = new WorkerRefitter(config);
  const refit = await refitter.cluster(job).finally(() => refitter.close());

  const fit = await fitOn(fitConfigFor(config, job.seed), embeddings, docs);
  const clusters = new Set(fit.labels).size - (fit.labels.includes(-1) ? 1 : 0);
  assert.ok(clusters >= 3, `found ${clusters} clusters`);
  assert.deepEqual(fit.labels, relabelBySize(refit.labels));
  assert.deepEqual(fit.probabilities, refit.probabilities);
});
