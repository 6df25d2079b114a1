/**
 * topicstream's c-TF-IDF (describeTopics, as `fit` runs it) on a clustering made elsewhere: the
 * documents of a `fit --out` folder, the topic of each taken from another folder's
 * assignments.jsonl (e.g. BERTopic's). Separates "which clusters" from "which words" when the two
 * systems' NPMI or diversity differ.
 *
 *   node dist/bench/batch/describeFromAssignments.js --from out/bench-batch/ours-fp32 \
 *     --labels out/bench-batch/bertopic [--config FILE] --out DIR
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { describeTopics } from '../../src/pipeline/describeTopics.js';
import { cpuSeconds, labelsFrom, readExported, writeJson, writeRun } from './exportedModel.js';
import { roundTo } from '../../src/core/round.js';

const { values } = parseArgs({ options: { from: { type: 'string' }, labels: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' } } });
if (!values.from || !values.labels || !values.out) {
  process.stderr.write('usage: describeFromAssignments.js --from FIT_OUT_DIR --labels DIR_WITH_ASSIGNMENTS --out DIR [--config FILE]\n');
  process.exit(2);
}
const config = loadConfig({ file: values.config });
const snap = readExported(values.from);
const ids = snap.docs.map((d) => d.id);
const { labels, probabilities } = labelsFrom(values.labels, ids);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const topics = describeTopics(snap.docs, labels, config);
const seconds = roundTo((performance.now() - t0) / 1000, 2);
const cpu = roundTo(cpuSeconds(cpu0), 2);
await writeRun(values.out, ids, topics, labels, probabilities, { stage_seconds: { ctfidf: seconds }, stage_cpu_seconds: { ctfidf: cpu }, labels_from: values.labels });
writeJson(path.join(values.out, 'run.json'), { from: values.from, labels_from: values.labels, config: values.config ?? null, ctfidf_seconds: seconds, ctfidf_cpu_seconds: cpu });
process.stderr.write(`${topics.filter((t) => t.id !== -1).length} topics described in ${seconds}s; wrote ${values.out}\n`);
