// Outlier reduction at arrival (stream.assign.reduceOutliers): how many k-NN outliers each threshold
// would give a topic, and how often the next refit agrees with that topic. Replays the first tweets
// (cached embeddings, as persistence.ts) through the processor with reduction off and hysteresis off
// (each refit says what the data says); for every post the vote makes an outlier after the first
// refit, records its nearest topic centroid and cosine; at the next refit, compares. The baseline is
// the same agreement for the posts the vote did assign.
//   node dist/bench/stream/outlierReduction.js [--window 2000] [--tweets 8000]
// With --effect T: two replays with the default memory settings, reduction off and on at threshold T;
// per replay the posts reduced, born events, the window's outlier share and kept share after refits.
//   node dist/bench/stream/outlierReduction.js --effect 0.5
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { createMatrix, type Embedder, type Matrix } from '../../src/core/types.js';
import { roundTo } from '../../src/core/round.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { WorkerRefitter } from '../../src/stream/refit/workerRefitter.js';
import type { RawRecord, Sink } from '../../src/stream/types.js';
import { embeddedTweets, type EmbeddedDocs } from './tweetEmbeddings.js';
import { machineInfo, saveResult } from './machine.js';

const { values } = parseArgs({ options: { window: { type: 'string', default: '2000' }, tweets: { type: 'string', default: '8000' }, effect: { type: 'string' } } });
const WINDOW = Number(values.window);
const TWEETS = Number(values.tweets);
const EVERY = 1000;
const BATCH = 100;
const THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

class CachedEmbedder implements Embedder {
  readonly modelId: string;
  readonly dim: number;
  constructor(private readonly data: EmbeddedDocs, private readonly rowOf: Map<string, number>) {
    this.modelId = data.model;
    this.dim = data.dim;
  }
  async embed(texts: readonly string[]): Promise<Matrix> {
    const m = createMatrix(texts.length, this.dim);
    texts.forEach((t, i) => m.data.set(this.vec(this.rowOf.get(t)!), i * this.dim));
    return m;
  }
  vec(row: number): Float32Array {
    return this.data.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }
  async close(): Promise<void> {}
}

const nullSink: Sink = { name: 'null', send: async () => undefined, close: async () => undefined };

function nearestCentroid(centroids: ReadonlyMap<number, Float32Array>, v: Float32Array): { topic: number; sim: number } {
  let topic = -1;
  let sim = -Infinity;
  for (const [id, c] of centroids) {
    if (id < 0) continue;
    let s = 0;
    for (let j = 0; j < v.length; j++) s += c[j]! * v[j]!;
    if (s > sim) [topic, sim] = [id, s];
  }
  return { topic, sim };
}

interface Pending { id: string; arrival: number; nearest: number; sim: number }

async function main(): Promise<void> {
  const data = await embeddedTweets(Math.max(TWEETS, 20000));
  const rowOf = new Map<string, number>();
  data.texts.forEach((t, i) => rowOf.has(t) || rowOf.set(t, i));
  const embedder = new CachedEmbedder(data, rowOf);
  const config = loadConfig({ env: {}, flags: { stream: { window: { maxDocs: WINDOW }, refit: { everyDocs: EVERY, everySeconds: 0 }, memory: { hysteresis: false } } } });
  const refitter = new WorkerRefitter(config);
  const p = new StreamProcessor({ config, embedder, sink: nullSink, refitter, log: pino({ level: 'warn' }) });
  let pending: Pending[] = [];
  const judged: Array<Pending & { refit: number }> = [];
  p.on('refit', () => {
    for (const d of pending) {
      const t = p.window.get(d.id)?.topic;
      if (t !== undefined) judged.push({ ...d, refit: t });
    }
    pending = [];
  });
  let offset = 0;
  try {
    for (let i = 0; i < TWEETS; i += BATCH) {
      const records: RawRecord[] = [];
      const rows: number[] = [];
      for (let j = i; j < Math.min(TWEETS, i + BATCH); j++) {
        records.push({ topic: 'posts', partition: 0, offset: String(offset++), key: null, value: Buffer.from(JSON.stringify({ id: data.ids[j], text: data.texts[j] })), timestamp: Date.now() });
        rows.push(j);
      }
      const centroids = p.centroids;
      await p.handleBatch(records);
      if (p.modelVersion > 0) {
        for (const j of rows) {
          const d = p.window.get(data.ids[j]!);
          if (!d) continue;
          const n = nearestCentroid(centroids, embedder.vec(rowOf.get(data.texts[j]!)!));
          pending.push({ id: d.id, arrival: d.topic, nearest: n.topic, sim: n.sim });
        }
      }
      await p.idle();
    }
  } finally {
    await p.close();
    await refitter.close();
  }
  report(judged);
}

function report(judged: Array<Pending & { refit: number }>): void {
  const share = (n: number, d: number) => (d ? roundTo(n / d, 3) : Number.NaN);
  const assigned = judged.filter((d) => d.arrival !== -1);
  const outliers = judged.filter((d) => d.arrival === -1);
  const baseline = { posts: assigned.length, sameTopicAtRefit: share(assigned.filter((d) => d.refit === d.arrival).length, assigned.length), outlierAtRefit: share(assigned.filter((d) => d.refit === -1).length, assigned.length) };
  const rows = THRESHOLDS.map((t) => {
    const r = outliers.filter((d) => d.sim >= t);
    return {
      threshold: t,
      reducedShareOfOutliers: share(r.length, outliers.length),
      sameTopicAtRefit: share(r.filter((d) => d.refit === d.nearest).length, r.length),
      outlierAtRefit: share(r.filter((d) => d.refit === -1).length, r.length),
      otherTopicAtRefit: share(r.filter((d) => d.refit !== -1 && d.refit !== d.nearest).length, r.length),
    };
  });
  const kept = { outlierPosts: outliers.length, stillOutlierAtRefit: share(outliers.filter((d) => d.refit === -1).length, outliers.length) };
  process.stderr.write(JSON.stringify({ baseline, kept, rows }, null, 1) + '\n');
  const file = saveResult('outlier-reduction', { machine: machineInfo(), window: WINDOW, tweets: TWEETS, everyDocs: EVERY, hysteresis: false, baseline, outliers: kept, thresholds: rows });
  process.stderr.write(`wrote ${file}\n`);
}

async function effect(threshold: number, enabled: boolean): Promise<Record<string, number>> {
  const data = await embeddedTweets(Math.max(TWEETS, 20000));
  const rowOf = new Map<string, number>();
  data.texts.forEach((t, i) => rowOf.has(t) || rowOf.set(t, i));
  const config = loadConfig({ env: {}, flags: { stream: { window: { maxDocs: WINDOW }, refit: { everyDocs: EVERY, everySeconds: 0 }, assign: { reduceOutliers: { enabled, minSimilarity: threshold } } } } });
  const refitter = new WorkerRefitter(config);
  const p = new StreamProcessor({ config, embedder: new CachedEmbedder(data, rowOf), sink: nullSink, refitter, log: pino({ level: 'warn' }) });
  const t = { reduced: 0, arrivalOutliers: 0, born: 0, refits: 0, windowOutliers: 0, kept: 0 };
  p.on('batch', (e) => {
    t.reduced += e.outliersReduced;
    t.arrivalOutliers += e.outliers;
  });
  p.on('refit', (s) => {
    if (s.modelVersion <= WINDOW / EVERY) return; // steady state only
    t.refits++;
    t.born += s.events.filter((e) => e.type === 'born').length;
    t.windowOutliers += s.outliers / s.windowDocs;
    t.kept += s.persistence.kept;
  });
  let offset = 0;
  try {
    for (let i = 0; i < TWEETS; i += BATCH) {
      const records: RawRecord[] = [];
      for (let j = i; j < Math.min(TWEETS, i + BATCH); j++) records.push({ topic: 'posts', partition: 0, offset: String(offset++), key: null, value: Buffer.from(JSON.stringify({ id: data.ids[j], text: data.texts[j] })), timestamp: Date.now() });
      await p.handleBatch(records);
      await p.idle();
    }
  } finally {
    await p.close();
    await refitter.close();
  }
  const n = Math.max(1, t.refits);
  return { enabled: Number(enabled), threshold, reduced: t.reduced, arrivalOutliers: t.arrivalOutliers, steadyRefits: t.refits, bornPerRefit: roundTo(t.born / n, 2), windowOutliers: roundTo(t.windowOutliers / n, 3), kept: roundTo(t.kept / n, 3) };
}

if (values.effect === undefined) await main();
else {
  const th = Number(values.effect);
  const rows = [await effect(th, false), await effect(th, true)];
  process.stderr.write(JSON.stringify(rows) + '\n');
  const file = saveResult('outlier-reduction-effect', { machine: machineInfo(), window: WINDOW, tweets: TWEETS, everyDocs: EVERY, rows });
  process.stderr.write(`wrote ${file}\n`);
}
