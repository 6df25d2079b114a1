// Refit time against window size: the refit jobs the service runs (src/stream/refit/refitJobs.ts:
// k-NN graph, UMAP, HDBSCAN, then c-TF-IDF with representative documents), run in a worker thread at
// the refit worker's nice value as in the service (so stream.refit.umapThreads and
// knn.nnDescent.threads take effect), on the last n of the first 40,000 tweets (real embeddings,
// cached; a larger n puts the first non-empty 20 Newsgroups bodies before them, embedded and cached
// the same way).
// Quality per window: topics, outliers, NPMI and diversity of the topic words; with --compare, the
// NMI/ARI of the labels against an earlier run saved with --save (e.g. the previous defaults).
//   node dist/bench/stream/refitTime.js [--sizes 5000,10000,20000] [--repeats 1] [--config file.json]
//        [--save tag] [--compare tag] [--tweets 40000]
// Settings can also come from the environment (TOPICSTREAM__KNN__GRAPH=hnsw ...).
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { runClusterJob, runDescribeJob } from '../../src/stream/refit/refitJobs.js';
import { evaluateTopics } from '../../src/eval/evaluateTopics.js';
import { adjustedRandIndex } from '../../src/eval/ari.js';
import { normalizedMutualInfo } from '../../src/eval/nmi.js';
import { lowerThreadPriority } from '../../src/core/workers/threadPriority.js';
import { embeddedNewsgroups, embeddedTweets, type EmbeddedDocs } from './tweetEmbeddings.js';
import { machineInfo, saveResult } from './machine.js';
import { ROOT } from '../../test/helpers/paths.js';

interface JobIn {
  configFile?: string;
  embeddings: Float32Array;
  n: number;
  dim: number;
  seed: number;
  texts: string[];
}

if (!isMainThread) {
  const job = workerData as JobIn;
  const config = loadConfig(job.configFile ? { file: job.configFile } : {});
  lowerThreadPriority(config.stream.refit.niceness);
  const t0 = performance.now();
  const c = runClusterJob(config, { embeddings: job.embeddings, n: job.n, dim: job.dim, seed: job.seed });
  const d = runDescribeJob(config, { texts: job.texts, topics: c.labels, decay: 0, seed: 42 });
  const total = (performance.now() - t0) / 1000;
  parentPort!.postMessage({ labels: c.labels, seconds: c.seconds, ctfidf: d.seconds, total, words: d.words, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) });
} else {
  await main();
}

function inWorker(job: JobIn): Promise<{ labels: Int32Array; seconds: Record<string, number>; ctfidf: number; total: number; words: Record<string, Array<{ word: string }>>; peakRssMB: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: job, transferList: [job.embeddings.buffer as ArrayBuffer] });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '5000,10000,20000' },
      repeats: { type: 'string', default: '1' },
      config: { type: 'string' },
      save: { type: 'string' },
      compare: { type: 'string' },
      tweets: { type: 'string', default: '40000' },
    },
  });
  const sizes = values.sizes!.split(',').map(Number);
  const repeats = Number(values.repeats);
  const machine = machineInfo();
  const config = loadConfig(values.config ? { file: values.config } : {});
  // always the same tweets, whatever the sizes, so that runs with different --sizes compare window for window
  const data = await embeddedTweets(Number(values.tweets));
  const extraDocs = Math.max(0, ...sizes.map((n) => n - data.ids.length));
  const extra: EmbeddedDocs | null = extraDocs > 0 ? await embeddedNewsgroups(extraDocs) : null;
  const rows: Array<Record<string, number>> = [];
  const labelsDir = path.join(ROOT, 'bench', 'stream', '.cache');
  for (const n of sizes) {
    // the most recent n documents: a window slides over the stream; beyond the tweets, 20 Newsgroups posts first
    const fromExtra = Math.max(0, n - data.ids.length);
    const tweetsFrom = data.ids.length - (n - fromExtra);
    const texts = [...(extra ? extra.texts.slice(0, fromExtra) : []), ...data.texts.slice(tweetsFrom)];
    for (let r = 0; r < repeats; r++) {
      const embeddings = new Float32Array(n * data.dim);
      if (fromExtra > 0) embeddings.set(extra!.vectors.subarray(0, fromExtra * data.dim));
      embeddings.set(data.vectors.subarray(tweetsFrom * data.dim), fromExtra * data.dim);
      const res = await inWorker({ ...(values.config ? { configFile: values.config } : {}), embeddings, n, dim: data.dim, seed: 42 + r, texts });
      const docs = texts.map((text, i) => ({ id: String(i), text }));
      const assignments = Array.from(res.labels, (topic, i) => ({ id: String(i), topic }));
      const topicWords = Object.entries(res.words).map(([id, words]) => ({ id: Number(id), words }));
      const q = evaluateTopics(docs, assignments, topicWords, config);
      const row: Record<string, number> = {
        windowDocs: n,
        repeat: r,
        knn: res.seconds.knn!,
        umap: res.seconds.umap!,
        hdbscan: res.seconds.hdbscan!,
        ctfidf: res.ctfidf,
        total: res.total,
        topics: q.n_topics,
        outlierShare: q.outlier_ratio,
        npmi: q.npmi,
        diversity: q.diversity,
        peakRssMB: res.peakRssMB,
      };
      // the reference is a run's first repeat (seed 42); a second repeat of the reference settings gives the seed-to-seed noise
      const labelsFile = (tag: string) => path.join(labelsDir, `refit-labels-${tag}-${n}.json`);
      if (values.save && r === 0) writeFileSync(labelsFile(values.save), JSON.stringify(Array.from(res.labels)));
      if (values.compare && existsSync(labelsFile(values.compare))) {
        const ref = JSON.parse(readFileSync(labelsFile(values.compare), 'utf8')) as number[];
        row.nmiVsReference = normalizedMutualInfo(ref, res.labels);
        row.ariVsReference = adjustedRandIndex(ref, res.labels);
      }
      rows.push(row);
      process.stderr.write(`${JSON.stringify(row)}\n`);
    }
  }
  const file = saveResult('refit-time', {
    machine,
    loadavgAfter: machineInfo().loadavg,
    model: data.model,
    inWorker: true,
    ...(values.compare ? { comparedWith: values.compare } : {}),
    config: { umap: config.umap, hdbscan: config.hdbscan, knn: config.knn, refit: config.stream.refit },
    rows,
  });
  process.stderr.write(`wrote ${file}\n`);
}
