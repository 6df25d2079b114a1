/**
 * Fits topicstream's pipeline after the embed stage (k-NN, UMAP, HDBSCAN, c-TF-IDF) on the
 * embeddings another `topicstream fit --out DIR` exported, with a config of choice. Used for the
 * stop-words configuration (no second 20-minute embed) and to time the later stages in CPU
 * seconds as well as wall seconds (the machine is shared, so wall times drift).
 *
 *   node dist/bench/batch/fitFromEmbeddings.js --from out/bench-batch/ours-fp32 \
 *     [--config bench/batch/config/stopwords.json] [--seed 42] --out out/bench-batch/ours-fp32-stop
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Embedder } from '../../src/core/types.js';
import { buildFitStages } from '../../src/pipeline/components.js';
import { fitTopics, type StageName } from '../../src/pipeline/fitTopics.js';
import { cpuSeconds, readExported, writeJson, writeRun } from './exportedModel.js';
import { roundTo } from '../../src/core/round.js';

const { values } = parseArgs({
  options: { from: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
});
if (!values.from || !values.out) {
  process.stderr.write('usage: fitFromEmbeddings.js --from FIT_OUT_DIR --out DIR [--config FILE] [--seed N]\n');
  process.exit(2);
}
const flags = values.seed !== undefined ? { seed: Number(values.seed) } : {};
const config = loadConfig({ file: values.config, flags });
const snap = readExported(values.from);
process.stderr.write(`${snap.docs.length} docs, embeddings ${snap.embeddings.rows}x${snap.embeddings.cols} from ${values.from}\n`);

const noEmbedder: Embedder = {
  dim: snap.embeddings.cols,
  modelId: snap.modelId,
  embed: () => Promise.reject(new Error('fitFromEmbeddings: embeddings are given, nothing to embed')),
  close: () => Promise.resolve(),
};
const stages = await buildFitStages(config, { embedder: noEmbedder });

const cpu: Partial<Record<StageName, number>> = {};
let mark = process.cpuUsage();
const t0 = performance.now();
const out = await fitTopics(snap.docs, stages, {
  nNeighbors: config.umap.nNeighbors,
  embeddings: snap.embeddings,
  onStageDone: (stage, s) => {
    cpu[stage] = roundTo(cpuSeconds(mark), 2);
    mark = process.cpuUsage();
    process.stderr.write(`${stage}: ${s.toFixed(1)}s wall, ${cpu[stage]}s cpu\n`);
  },
});
const wall = (performance.now() - t0) / 1000;
const seconds = Object.fromEntries(Object.entries(out.seconds).map(([k, v]) => [k, roundTo(v, 2)]));
await writeRun(values.out, snap.docs.map((d) => d.id), out.topics, out.labels, out.probabilities, {
  stage_seconds: seconds,
  stage_cpu_seconds: cpu,
  config: { ...config, embeddingsFrom: path.resolve(values.from) },
});
writeJson(path.join(values.out, 'run.json'), { from: values.from, config: values.config ?? null, stage_seconds: seconds, stage_cpu_seconds: cpu, wall_seconds: roundTo(wall, 2) });
const n = out.topics.filter((t) => t.id !== -1).length;
process.stderr.write(`${n} topics, ${out.labels.filter((l) => l === -1).length} outliers; wrote ${values.out}\n`);
