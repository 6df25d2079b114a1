// Refit time against window size: the refit jobs the service runs in its worker thread
// (src/stream/refit/refitJobs.ts: k-NN graph, UMAP, HDBSCAN, then c-TF-IDF with representative
// documents), called directly on windows of 5k, 10k and 20k real tweet embeddings, config defaults.
//   node dist/bench/stream/refitTime.js [--sizes 5000,10000,20000] [--repeats 1]
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/load.js';
import { runClusterJob, runDescribeJob } from '../../src/stream/refit/refitJobs.js';
import { embeddedTweets } from './tweetEmbeddings.js';
import { machineInfo, saveResult } from './machine.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '5000,10000,20000' }, repeats: { type: 'string', default: '1' } } });
const sizes = values.sizes!.split(',').map(Number);
const repeats = Number(values.repeats);
const machine = machineInfo();
const config = loadConfig();
const data = await embeddedTweets(Math.max(...sizes));
const rows: Array<Record<string, number>> = [];
for (const n of sizes) {
  for (let r = 0; r < repeats; r++) {
    // the most recent n documents of the largest window: a window slides over the stream
    const from = data.ids.length - n;
    const embeddings = data.vectors.slice(from * data.dim, data.ids.length * data.dim);
    const t0 = performance.now();
    const c = runClusterJob(config, { embeddings, n, dim: data.dim, seed: 42 + r });
    const d = runDescribeJob(config, { texts: data.texts.slice(from), topics: c.labels, decay: 0, seed: 42 });
    const total = (performance.now() - t0) / 1000;
    const topics = new Set(Array.from(c.labels).filter((l) => l >= 0)).size;
    const outliers = Array.from(c.labels).filter((l) => l < 0).length;
    const row = {
      windowDocs: n,
      repeat: r,
      knn: c.seconds.knn!,
      umap: c.seconds.umap!,
      hdbscan: c.seconds.hdbscan!,
      ctfidf: d.seconds,
      total,
      topics,
      outlierShare: outliers / n,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
}
const file = saveResult('refit-time', { machine, loadavgAfter: machineInfo().loadavg, model: data.model, config: { umap: config.umap, hdbscan: config.hdbscan, knn: config.knn }, rows });
process.stderr.write(`wrote ${file}\n`);
