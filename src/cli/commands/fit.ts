/** `topicstream fit <input>`: the batch topic model on a file, like BERTopic.fit_transform. */
import path from 'node:path';
import { parseCommand, showHelp } from '../flags.js';
import { FIT } from '../commandSpecs.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import type { Doc } from '../../core/types.js';
import { readDocs } from '../../io/readDocs.js';
import { progressBar, type ProgressBar } from '../progress.js';
import { buildFitStages } from '../../pipeline/components.js';
import { fitTopics, type FitOptions, type FitOutput, type StageName } from '../../pipeline/fitTopics.js';
import { writeTopicsFile, writeAssignments, writeTopicsOverTime } from '../../model/outputs.js';
import { writeModelSnapshot } from '../../model/snapshot.js';
import { formatTopicTable } from '../topicTable.js';
import { VERSION } from '../../version.js';
import { roundTo } from '../../core/round.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(FIT, argv);
  if (p.help) return showHelp(FIT);
  const input = p.args.input;
  const config = loadConfig({ file: p.values.config, flags: p.config });
  const outDir = p.values.out ?? path.join('out', path.basename(input).replace(/\.jsonl(\.gz)?$|\.gz$/, ''));
  const quiet = p.values.quiet;
  const say = (s: string) => {
    if (!quiet) process.stderr.write(s + '\n');
  };
  const docs = await readInput(input, config, p.values.limit, say);
  if (!docs) return 1;
  const stages = await buildFitStages(config, { log: say, onModelDownload: quiet ? undefined : progressBar('download', 0).update });
  let out: FitOutput;
  try {
    out = await fitTopics(docs, stages, { nNeighbors: config.umap.nNeighbors, ...stageProgress(quiet) });
  } finally {
    await stages.embedder.close();
  }
  await writeOutputs(outDir, docs, out, config, stages.embedder.modelId);
  process.stdout.write(formatTopicTable(out.topics, docs.length) + '\n');
  say(`wrote ${path.join(outDir, 'topics.json')}, ${path.join(outDir, 'assignments.jsonl')} and ${path.join(outDir, 'model/')}`);
  return 0;
}

/** Reads the documents, reporting skipped lines; undefined (after saying why) when none is usable. */
async function readInput(input: string, config: Config, limit: number | undefined, say: (s: string) => void): Promise<Doc[] | undefined> {
  let rejectedShown = 0;
  const read = await readDocs(input, {
    ...config.input,
    limit,
    onRejected: (r) => {
      if (rejectedShown++ < 20) process.stderr.write(`${input}:${r.lineNo}: skipped (${r.reason}): ${r.message}\n`);
    },
  });
  if (read.rejected.length > 20) process.stderr.write(`... ${read.rejected.length - 20} more lines skipped\n`);
  say(`read ${read.docs.length} documents from ${input}` + (read.rejected.length ? ` (${read.rejected.length} lines skipped)` : ''));
  if (read.docs.length === 0) {
    process.stderr.write(`topicstream: no usable document in ${input} (text field "${config.input.textField}")\n`);
    return undefined;
  }
  return read.docs;
}

/** One progress bar per stage on stderr. */
function stageProgress(quiet: boolean): Pick<FitOptions, 'onProgress' | 'onStageDone'> {
  const bars = new Map<StageName, ProgressBar>();
  return {
    onProgress: (stage, done, total) => {
      let bar = bars.get(stage);
      if (!bar) bars.set(stage, (bar = progressBar(stage, total, process.stderr, quiet)));
      bar.update(done, total);
    },
    onStageDone: (stage, s) => {
      const bar = bars.get(stage) ?? progressBar(stage, 1, process.stderr, quiet);
      bar.done(`${s.toFixed(1)}s`);
    },
  };
}

/** topics.json, assignments.jsonl, topics_over_time.json (documents with ts) and the model snapshot (docs/design.md, "Files of topicstream fit"). */
async function writeOutputs(outDir: string, docs: Doc[], out: FitOutput, config: Config, modelId: string): Promise<void> {
  const ids = docs.map((d) => d.id);
  const createdAt = new Date().toISOString();
  const seconds = Object.fromEntries(Object.entries(out.seconds).map(([k, v]) => [k, roundTo(v, 2)]));
  writeTopicsFile(
    outDir,
    out.topics,
    { n_docs: docs.length, model: modelId, created_at: createdAt, stage_seconds: seconds, config: { ...config, version: VERSION } },
    config.ctfidf.topNWords,
  );
  await writeAssignments(outDir, ids, out.labels, out.probabilities);
  writeTopicsOverTime(outDir, out.topicsOverTime);
  await writeModelSnapshot(outDir, {
    modelId,
    modelVersion: 1,
    createdAt,
    config,
    docs,
    embeddings: out.embeddings,
    reduced: out.reduced,
    labels: out.labels,
    probabilities: out.probabilities,
    topics: out.topics,
  });
}
