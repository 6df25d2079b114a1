/**
 * The CPU-heavy refit work, as plain functions of plain data: k-NN graph → UMAP → HDBSCAN, and
 * c-TF-IDF with representative documents. The refit worker runs them; tests may call them directly.
 */
import type { Config } from '../../config/schema.js';
import { createMatrix } from '../../core/types.js';
import { representativeDocsByCtfidf, topWordsOfRow, type TopicTerms } from '../../represent/index.js';
import { buildClusterStages, neighbourCount, refitRun } from '../../pipeline/components.js';
import { serviceVectorizer, topicTerms } from '../../pipeline/describeTopics.js';
import { clusterUnnamed, guidedInput } from './namedTopics.js';
import type { ClusterJob, ClusterJobResult, DescribeJob, DescribeJobResult } from './types.js';

/**
 * The stages of `topicstream fit`, built by the same function (buildClusterStages), run
 * synchronously: this runs in the refit worker already. Only the run differs (refitRun: the job's
 * seed, stream.refit.umapEpochs; with a warm start, the previous layout and stream.memory's epochs).
 * Besides the clusters it returns the layout (the next warm start) and the k-NN neighbours
 * (hysteresis, src/stream/identity/hysteresis.ts); with zero-shot names, which documents matched one.
 */
export function runClusterJob(config: Config, job: ClusterJob): ClusterJobResult {
  const stages = buildClusterStages(config, refitRun(config, job.seed, job.n, job.warm));
  const seconds: Record<string, number> = {};
  // zero-shot / seed topics (namedTopics.ts): the graph and UMAP on the nudged embeddings, HDBSCAN on the rows no name took
  const x = guidedInput(createMatrix(job.n, job.dim, job.embeddings), job.guidance);
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    seconds[name] = (now - t) / 1000;
    t = now;
  };
  const graph = stages.knn(x, neighbourCount(config.umap.nNeighbors, job.n));
  lap('knn');
  const reduced = stages.reducer.fitSync(x, graph);
  lap('umap');
  const clusters = clusterUnnamed(x, reduced, job.guidance, (m) => stages.clusterer.fitSync(m));
  lap('hdbscan');
  return { ...clusters, seconds, layout: reduced.data, neighbours: graph.indices, k: graph.k };
}

export function runDescribeJob(config: Config, job: DescribeJob): DescribeJobResult {
  const t0 = performance.now();
  const tt = topicTerms(job.texts, job.topics, config, { prior: job.prior ?? null, decay: job.decay, vectorizer: serviceVectorizer(config) });
  const reps = representativeDocsByCtfidf(tt, job.texts, job.topics, { nrDocs: 3, seed: job.seed });
  const words: DescribeJobResult['words'] = {};
  const representatives: DescribeJobResult['representatives'] = {};
  for (const t of tt.topics) {
    words[String(t.id)] = t.words;
    representatives[String(t.id)] = reps.get(t.id) ?? [];
  }
  const keybert = config.representation.method === 'keybert' ? keybertInputs(config, tt, job) : null;
  return { words, representatives, counts: tt.carryOver, seconds: (performance.now() - t0) / 1000, ...(keybert ? { keybert } : {}) };
}

/** KeyBERT-inspired's candidate words and representative documents per topic (the words are embedded on the main thread). */
function keybertInputs(config: Config, tt: TopicTerms, job: DescribeJob): NonNullable<DescribeJobResult['keybert']> {
  const r = config.representation;
  const reps = representativeDocsByCtfidf(tt, job.texts, job.topics, { nrDocs: r.nrReprDocs, nrSamples: r.nrSamples, seed: job.seed, cleanDocs: false });
  const candidates: Record<string, string[]> = {};
  const reprDocs: Record<string, number[]> = {};
  tt.topicIds.forEach((id, row) => {
    candidates[String(id)] = topWordsOfRow(tt.scores, tt.vocabulary, row, r.nrCandidateWords).map((w) => w.word);
    reprDocs[String(id)] = reps.get(id) ?? [];
  });
  return { candidates, reprDocs };
}
