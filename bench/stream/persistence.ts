// Topic persistence across refits: replays the first tweets in time order through the streaming
// processor (real k-NN assignment, real refit cycle: refitCycle → the refit jobs in the refit worker
// → matchTopics → planRefit → apply), with the embeddings taken from the cache, and reports per
// refit: the share of retained documents that kept their topic id, the best relabelling's share
// (ceiling), the share that became outliers, topics, the window's outliers, NPMI and diversity of
// the topic words. Each setting runs twice: memory off (every refit a cold start, no hysteresis)
// and memory on (stream.memory as configured).
//   node dist/bench/stream/persistence.js [--settings 2000:8000,10000:20000] [--modes off,on]
//     [--memory '{"warmEpochs":100}'] [--name topic-persistence]
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createMatrix, type Embedder, type Matrix } from '../../src/core/types.js';
import { roundTo } from '../../src/core/round.js';
import { StreamProcessor, type RefitSummary } from '../../src/stream/processor.js';
import { WorkerRefitter } from '../../src/stream/refit/workerRefitter.js';
import type { OutStream, RawRecord, Sink } from '../../src/stream/types.js';
import { createAnalyzer } from '../../src/represent/index.js';
import { serviceVectorizer, vectorizerOptions } from '../../src/pipeline/describeTopics.js';
import { npmiCoherence } from '../../src/eval/npmi.js';
import { topicDiversity } from '../../src/eval/diversity.js';
import { embeddedTweets, type EmbeddedDocs } from './tweetEmbeddings.js';
import { CachedEmbedder, CountingSink } from './cachedParts.js';
import { machineInfo, saveResult } from './machine.js';

const { values } = parseArgs({
  options: {
    settings: { type: 'string', default: '2000:8000,10000:20000' },
    modes: { type: 'string', default: 'off,on' },
    memory: { type: 'string', default: '{}' },
    name: { type: 'string', default: 'topic-persistence' },
    tweets: { type: 'string', default: '20000' },
  },
});
const settings = values.settings!.split(',').map((s) => s.split(':').map(Number) as [number, number]);
const modes = values.modes!.split(',') as Array<'off' | 'on'>;
const memoryOverride = JSON.parse(values.memory!) as Record<string, unknown>;
const EVERY = 1000;
const BATCH = 100;

interface RefitRow {
  version: number;
  windowDocs: number;
  retained: number;
  kept: number;
  ceiling: number;
  outliers: number;
  topics: number;
  windowOutliers: number;
  npmi: number;
  diversity: number;
  events: Record<string, number>;
  umapSeconds: number;
  totalSeconds: number;
}

function configFor(window: number, memory: 'off' | 'on'): Config {
  const mem = memory === 'off' ? { warmStart: false, hysteresis: false } : memoryOverride;
  return loadConfig({ env: {}, flags: { stream: { window: { maxDocs: window }, refit: { everyDocs: EVERY, everySeconds: 0 }, memory: mem } } });
}

async function replay(data: EmbeddedDocs, window: number, tweets: number, memory: 'off' | 'on'): Promise<RefitRow[]> {
  const config = configFor(window, memory);
  const refitter = new WorkerRefitter(config);
  const p = new StreamProcessor({ config, embedder: new CachedEmbedder(data), sink: new CountingSink(), refitter, log: pino({ level: 'warn' }) });
  const analyze = createAnalyzer({ ...vectorizerOptions(serviceVectorizer(config)), cleaning: 'bertopic-english' });
  const rows: RefitRow[] = [];
  p.on('refit', (s: RefitSummary) => {
    const docs = p.window.view().docs;
    const tokenised = docs.map((d) => analyze(d.text));
    const topics = p.registry.active().filter((t) => t.id !== -1);
    const events: Record<string, number> = {};
    for (const e of s.events) events[e.type] = (events[e.type] ?? 0) + 1;
    const row: RefitRow = {
      version: s.modelVersion,
      windowDocs: s.windowDocs,
      retained: s.persistence.retained,
      kept: roundTo(s.persistence.kept, 3),
      ceiling: roundTo(s.persistence.ceiling, 3),
      outliers: roundTo(s.persistence.outliers, 3),
      topics: s.topics,
      windowOutliers: roundTo(s.outliers / s.windowDocs, 3),
      npmi: roundTo(npmiCoherence(topics, tokenised, { topN: 10 }).mean, 4),
      diversity: roundTo(topicDiversity(topics, { topK: 25 }), 4),
      events,
      umapSeconds: roundTo(s.seconds.umap ?? Number.NaN, 2),
      totalSeconds: roundTo(s.seconds.total ?? Number.NaN, 2),
    };
    rows.push(row);
    process.stderr.write(`window ${window} memory ${memory}: ${JSON.stringify(row)}\n`);
  });
  p.on('refitFailed', ({ error }) => {
    throw error instanceof Error ? error : new Error(String(error));
  });
  let offset = 0;
  try {
    for (let i = 0; i < tweets; i += BATCH) {
      const records: RawRecord[] = [];
      for (let j = i; j < Math.min(tweets, i + BATCH); j++) {
        const value = Buffer.from(JSON.stringify({ id: data.ids[j], text: data.texts[j] }));
        records.push({ topic: 'posts', partition: 0, offset: String(offset++), key: null, value, timestamp: Date.now() });
      }
      await p.handleBatch(records);
      // the refit a batch starts is awaited: refits fall exactly every EVERY documents
      await p.idle();
    }
  } finally {
    await p.close();
    await refitter.close();
  }
  return rows;
}

/** Means over the steady state: the refits after the one that first saw a full window. */
function steady(rows: RefitRow[], window: number): Record<string, number> {
  const s = rows.filter((r) => r.version > window / EVERY);
  const mean = (f: (r: RefitRow) => number): number => roundTo(s.reduce((a, r) => a + f(r), 0) / Math.max(1, s.length), 3);
  return {
    refits: s.length,
    kept: mean((r) => r.kept),
    ceiling: mean((r) => r.ceiling),
    outliers: mean((r) => r.outliers),
    topics: mean((r) => r.topics),
    windowOutliers: mean((r) => r.windowOutliers),
    npmi: roundTo(s.reduce((a, r) => a + r.npmi, 0) / Math.max(1, s.length), 4),
    diversity: roundTo(s.reduce((a, r) => a + r.diversity, 0) / Math.max(1, s.length), 4),
    umapSeconds: mean((r) => r.umapSeconds),
    totalSeconds: mean((r) => r.totalSeconds),
  };
}

const machine = machineInfo();
const data = await embeddedTweets(Number(values.tweets));
const results: Array<{ window: number; everyDocs: number; tweets: number; memory: 'off' | 'on'; memoryConfig: Config['stream']['memory']; steady: Record<string, number>; refits: RefitRow[] }> = [];
for (const [window, tweets] of settings) {
  for (const memory of modes) {
    const rows = await replay(data, window, tweets, memory);
    const summary = steady(rows, window);
    process.stderr.write(`window ${window} memory ${memory} steady state: ${JSON.stringify(summary)}\n`);
    results.push({ window, everyDocs: EVERY, tweets, memory, memoryConfig: configFor(window, memory).stream.memory, steady: summary, refits: rows });
  }
}
const config = loadConfig({ env: {} });
const file = saveResult(values.name!, { machine, loadavgAfter: machineInfo().loadavg, model: data.model, config: { umap: config.umap, hdbscan: config.hdbscan, refit: config.stream.refit }, results });
process.stderr.write(`wrote ${file}\n`);
