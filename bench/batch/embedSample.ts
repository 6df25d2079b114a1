/**
 * Times topicstream's embedder on a fixed sample of documents (the ids the BERTopic reference
 * timed sentence-transformers on), so both engines embed the same texts; and compares the
 * vectors with the ones the full fit exported.
 *
 *   node dist/bench/batch/embedSample.js --from out/bench-batch/ours-fp32 \
 *     --ids out/bench-batch/bertopic/embed_sample_ids.json [--dtype fp32|q8] [--long-text chunk|truncate] --out FILE.json
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { createEmbedder } from '../../src/embed/index.js';
import { matrixRow } from '../../src/core/types.js';
import { cpuSeconds, readExported, readJson, writeJson } from './exportedModel.js';
import { roundTo } from '../../src/core/round.js';

const { values } = parseArgs({
  options: { from: { type: 'string' }, ids: { type: 'string' }, dtype: { type: 'string' }, 'long-text': { type: 'string' }, out: { type: 'string' } },
});
if (!values.from || !values.ids || !values.out) {
  process.stderr.write('usage: embedSample.js --from FIT_OUT_DIR --ids IDS.json --out FILE.json [--dtype fp32|q8] [--long-text chunk|truncate]\n');
  process.exit(2);
}
const dtype = (values.dtype ?? 'fp32') as 'fp32' | 'q8';
const longText = (values['long-text'] ?? 'chunk') as 'chunk' | 'truncate';
const snap = readExported(values.from);
const index = new Map(snap.docs.map((d, i) => [d.id, i]));
const rows = readJson<string[]>(values.ids).map((id) => {
  const i = index.get(id);
  if (i === undefined) throw new Error(`${values.ids}: ${id} is not among the exported documents`);
  return i;
});
const texts = rows.map((i) => snap.docs[i]!.text);

const tLoad = performance.now();
const embedder = await createEmbedder({ dtype, longText });
const loadSeconds = (performance.now() - tLoad) / 1000;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const m = await embedder.embed(texts);
const seconds = (performance.now() - t0) / 1000;
const cpu = cpuSeconds(cpu0);
const stats = embedder.stats();
await embedder.close();

// cosine with the full fit's vectors (both unit length); 1.0 expected for fp32 chunk mode
let sum = 0;
let min = 1;
for (let k = 0; k < rows.length; k++) {
  const a = matrixRow(m, k);
  const b = matrixRow(snap.embeddings, rows[k]!);
  let dot = 0;
  for (let j = 0; j < a.length; j++) dot += a[j]! * b[j]!;
  sum += dot;
  if (dot < min) min = dot;
}
const result = {
  engine: `topicstream (transformers.js + onnxruntime-node), ${embedder.workers} workers`,
  dtype,
  long_text: longText,
  docs: rows.length,
  of_docs: snap.docs.length,
  windows: stats.windows,
  tokens: stats.tokens,
  load_seconds: roundTo(loadSeconds, 2),
  seconds: roundTo(seconds, 2),
  cpu_seconds: roundTo(cpu, 2),
  docs_per_second: roundTo(rows.length / seconds, 2),
  seconds_all_docs_extrapolated: Math.round((seconds * snap.docs.length) / rows.length),
  cosine_vs_full_fit: { mean: roundTo(sum / rows.length, 4), min: roundTo(min, 4) },
  loadavg: os.loadavg().map((x) => roundTo(x, 2)),
};
writeJson(values.out, result);
process.stderr.write(`${dtype} ${longText}: ${rows.length} docs (${stats.windows} windows) in ${result.seconds}s, ${result.docs_per_second} docs/s\n`);
