/**
 * Test doubles for code that does not care what vectors mean: an embedder that maps a text's first
 * word to one of a few directions (plus a small deterministic wobble), and a refitter that clusters
 * by that direction. Never used where embedding quality matters.
 */
import { createMatrix, type Embedder, type Matrix } from '../../src/core/types.js';
import type { ClusterJob, ClusterJobResult, DescribeJob, DescribeJobResult, Refitter } from '../../src/stream/refit/types.js';

export const THEMES = ['alpha', 'beta', 'gamma', 'delta'];
const DIM = 8;

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

export class ThemeEmbedder implements Embedder {
  readonly dim = DIM;
  readonly modelId = 'test/theme-embedder';
  calls = 0;
  async embed(texts: readonly string[]): Promise<Matrix> {
    this.calls++;
    const m = createMatrix(texts.length, DIM);
    texts.forEach((t, i) => {
      const theme = THEMES.indexOf(t.split(' ')[0]!);
      const row = m.data.subarray(i * DIM, (i + 1) * DIM);
      if (theme >= 0) row[theme] = 1;
      else row[DIM - 1] = 1;
      row[4 + (Math.floor(hash(t) * 3) % 3)] = 0.2 * hash(t + 'x');
      let n = 0;
      for (const v of row) n += v * v;
      n = Math.sqrt(n);
      for (let j = 0; j < DIM; j++) row[j]! /= n;
    });
    return m;
  }
  async close(): Promise<void> {}
}

/** Clusters by dominant direction; `shift` relabels clusters (as a real refit may) to exercise id matching. */
export class ThemeRefitter implements Refitter {
  shift = 0;
  clusters = 0;
  async cluster(job: ClusterJob): Promise<ClusterJobResult> {
    this.clusters++;
    const labels = new Int32Array(job.n);
    for (let i = 0; i < job.n; i++) {
      let best = 0;
      for (let j = 1; j < job.dim; j++) if (job.embeddings[i * job.dim + j]! > job.embeddings[i * job.dim + best]!) best = j;
      labels[i] = best === job.dim - 1 ? -1 : (best + this.shift) % 4;
    }
    return { labels, probabilities: new Float32Array(job.n).fill(1), seconds: { knn: 0, umap: 0, hdbscan: 0 } };
  }
  async describe(job: DescribeJob): Promise<DescribeJobResult> {
    const words: DescribeJobResult['words'] = {};
    const reps: DescribeJobResult['representatives'] = {};
    job.topics.forEach((t, i) => {
      const k = String(t);
      if (!words[k]) {
        words[k] = [{ word: job.texts[i]!.split(' ')[0]!, score: 1 }];
        reps[k] = [];
      }
      if (reps[k]!.length < 3) reps[k]!.push(i);
    });
    return { words, representatives: reps, counts: { topicIds: new Int32Array(0), vocabulary: [], counts: { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), data: new Float64Array(0) } }, seconds: 0 };
  }
  async close(): Promise<void> {}
}
