// Role elected's cost per document on every instance (docs/scaling.md): reading a post-embeddings
// message into the window (JSON and base64 parse, window, HNSW add at the config's efConstruction,
// eviction). Random unit vectors of the model's dimension (the cost does not depend on what they
// mean) and 300-character texts; a window of --window documents fed --docs messages.
//   node dist/bench/stream/sharedFeed.js [--window 10000] [--docs 30000]
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { Mulberry32 } from '../../src/core/random.js';
import { hnswOptions } from '../../src/pipeline/components.js';
import { WindowIndex } from '../../src/stream/assign/windowIndex.js';
import { LiveModel } from '../../src/stream/model/liveModel.js';
import { postEmbeddingMessage } from '../../src/stream/messages.js';
import { WindowFeed } from '../../src/stream/window/windowFeed.js';
import { WindowStore } from '../../src/stream/window/windowStore.js';
import { machineInfo, saveResult } from './machine.js';

const { values } = parseArgs({ options: { window: { type: 'string', default: '10000' }, docs: { type: 'string', default: '30000' } } });
const W = Number(values.window);
const N = Number(values.docs);
const DIM = 384;
const config = loadConfig({ env: {} });
const machine = machineInfo();
const rng = new Mulberry32(1);
const text = 'word '.repeat(60);
const messages = Array.from({ length: N }, (_, i) => {
  const v = new Float32Array(DIM).map(() => rng.next() - 0.5);
  let n = 0;
  for (const x of v) n += x * x;
  for (let j = 0; j < DIM; j++) v[j]! /= Math.sqrt(n);
  return Buffer.from(postEmbeddingMessage({ id: `d${i}`, text, ts: i }, v, { topic: -1, probability: 0, modelVersion: 0, modelId: 'bench' }, 2000).value);
});
const window = new WindowStore(W, DIM);
const index = new WindowIndex(window, { hnsw: hnswOptions(config), k: 15, minSimilarity: 0.35, minShare: 0.2 });
const feed = new WindowFeed(window, index, new LiveModel(100, new Map(), config.stream.history), 0, pino({ level: 'silent' }), 'bench');
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < N; i += 256) {
  feed.addShared(messages.slice(i, i + 256), Date.now());
  index.maintain();
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const result = {
  machine,
  window: W,
  docs: N,
  bytesPerMessage: Math.round(messages.reduce((s, m) => s + m.length, 0) / N),
  wallSeconds: wall,
  mainThreadMsPerDoc: (wall * 1000) / N,
  processCpuMsPerDoc: (cpu.user + cpu.system) / 1000 / N,
  indexRebuilds: index.rebuilds,
};
console.log(JSON.stringify(result, null, 2));
saveResult('shared-feed', result);
