/**
 * The CPU-heavy refit work, as plain functions of plain data: k-NN graph → UMAP → HDBSCAN, and
 * c-TF-IDF with representative documents. The refit worker runs them; tests may call them directly.
 */
import type { Config } from '../../config/schema.js';
import { createMatrix } from '../../core/types.js';
import { buildKnnGraph } from '../../knn/buildKnnGraph.js';
import { reduceSync } from '../../reduce/index.js';
import { fitHdbscan } from '../../cluster/hdbscan.js';
import { representativeDocsByCtfidf } from '../../represent/index.js';
import { knnGraphOptions, reducerSettings, hdbscanParams } from '../../pipeline/components.js';
import { topicTerms } from '../../pipeline/describeTopics.js';
import type { ClusterJob, ClusterJobResult, DescribeJob, DescribeJobResult } from './types.js';

export function runClusterJob(config: Config, job: ClusterJob): ClusterJobResult {
  const seconds: Record<string, number> = {};
  const x = createMatrix(job.n, job.dim, job.embeddings);
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    seconds[name] = (now - t) / 1000;
    t = now;
  };
  const k = Math.min(config.umap.nNeighbors, job.n - 1);
  if (k < 2) throw new Error(`a refit needs at least 3 documents, got ${job.n}`);
  const graph = buildKnnGraph(x, k, { ...knnGraphOptions(config), seed: job.seed });
  lap('knn');
  const reduced = reduceSync(config.umap.implementation, { ...reducerSettings(config), nNeighbors: k, seed: job.seed, nEpochs: config.stream.refit.umapEpochs }, graph, x);
  lap('umap');
  const model = fitHdbscan(createMatrix(job.n, config.umap.nComponents, reduced), hdbscanParams(config));
  lap('hdbscan');
  return { labels: model.labels, probabilities: Float32Array.from(model.probabilities), seconds };
}

export function runDescribeJob(config: Config, job: DescribeJob): DescribeJobResult {
  const t0 = performance.now();
  const tt = topicTerms(job.texts, job.topics, config, { prior: job.prior ?? null, decay: job.decay });
  const reps = representativeDocsByCtfidf(tt, job.texts, job.topics, { nrDocs: 3, seed: job.seed });
  const words: DescribeJobResult['words'] = {};
  const representatives: DescribeJobResult['representatives'] = {};
  for (const t of tt.topics) {
    words[String(t.id)] = t.words;
    representatives[String(t.id)] = reps.get(t.id) ?? [];
  }
  return { words, representatives, counts: tt.carryOver, seconds: (performance.now() - t0) / 1000 };
}
