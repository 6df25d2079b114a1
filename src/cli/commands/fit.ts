/** `topicstream fit <input>`: the batch topic model on a file, like BERTopic.fit_transform. */
import path from 'node:path';
import { parse, intFlag, UsageError } from '../args.js';
import { loadConfig } from '../../config/load.js';
import { readDocs } from '../../io/readDocs.js';
import { progressBar, type ProgressBar } from '../progress.js';
import { buildFitStages } from '../../pipeline/components.js';
import { fitTopics, type StageName } from '../../pipeline/fitTopics.js';
import { writeTopicsFile, writeAssignments } from '../../model/outputs.js';
import { writeModelSnapshot } from '../../model/snapshot.js';
import { formatTopicTable } from '../topicTable.js';
import { VERSION } from '../../version.js';
import { roundTo } from '../../core/round.js';

export const USAGE = `Usage: topicstream fit <input.jsonl[.gz]> [options]

Fits a topic model on a JSON Lines file (one {"id", "text", ...} per line, optionally gzipped):
embeds every document, reduces with UMAP, clusters with HDBSCAN and describes each topic with
c-TF-IDF, as BERTopic does. Progress goes to stderr; the topic table to stdout.

Options:
  --text-field F    field holding the text (default: text; use body for 20 Newsgroups)
  --id-field F      field holding the document id (default: id; line number when absent)
  --limit N         read at most N documents
  --out DIR         output folder (default: out/<input name>)
  --config FILE     JSON config overriding config/default.json (see README)
  --seed N          random seed for UMAP (default 42)
  --min-cluster-size N   HDBSCAN min_cluster_size (default 10)
  --quiet           no progress output
  -h, --help        this help

Writes DIR/topics.json, DIR/assignments.jsonl and a reloadable model snapshot in DIR/model/.
Bad lines (not JSON, no text, ...) are reported with their line number and skipped; the exit code is
non-zero only when no usable document was read.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      'text-field': { type: 'string' },
      'id-field': { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      config: { type: 'string' },
      seed: { type: 'string' },
      'min-cluster-size': { type: 'string' },
      quiet: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const input = positionals[0];
  if (!input) throw new UsageError(`missing <input>\n\n${USAGE}`);
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const flags: Record<string, unknown> = {};
  const input_: Record<string, unknown> = {};
  if (values['text-field']) input_.textField = values['text-field'];
  if (values['id-field']) input_.idField = values['id-field'];
  if (Object.keys(input_).length) flags.input = input_;
  const seed = intFlag(values.seed, 'seed');
  if (seed !== undefined) flags.seed = seed;
  const mcs = intFlag(values['min-cluster-size'], 'min-cluster-size', 2);
  if (mcs !== undefined) flags.hdbscan = { minClusterSize: mcs };
  const config = loadConfig({ file: values.config, flags });
  const limit = intFlag(values.limit, 'limit', 1);
  const outDir = values.out ?? path.join('out', path.basename(input).replace(/\.jsonl(\.gz)?$|\.gz$/, ''));
  const quiet = Boolean(values.quiet);
  const say = (s: string) => {
    if (!quiet) process.stderr.write(s + '\n');
  };

  // 1. read
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
    return 1;
  }

  // 2. fit
  const stages = await buildFitStages(config, {
    log: say,
    onModelDownload: quiet ? undefined : progressBar('download', 0),
  });
  const bars = new Map<StageName, ProgressBar>();
  let out;
  try {
    out = await fitTopics(read.docs, stages, {
      nNeighbors: config.umap.nNeighbors,
      onProgress: (stage, done, total) => {
        let bar = bars.get(stage);
        if (!bar) bars.set(stage, (bar = progressBar(stage, total, process.stderr, quiet)));
        bar.update(done, total);
      },
      onStageDone: (stage, s) => {
        const bar = bars.get(stage) ?? progressBar(stage, 1, process.stderr, quiet);
        bar.done(`${s.toFixed(1)}s`);
      },
    });
  } finally {
    await stages.embedder.close();
  }

  // 3. write
  const ids = read.docs.map((d) => d.id);
  const seconds = Object.fromEntries(Object.entries(out.seconds).map(([k, v]) => [k, roundTo(v, 2)]));
  writeTopicsFile(
    outDir,
    out.topics,
    { n_docs: read.docs.length, model: stages.embedder.modelId, created_at: new Date().toISOString(), stage_seconds: seconds, config: { ...config, version: VERSION } },
    config.ctfidf.topNWords,
  );
  await writeAssignments(outDir, ids, out.labels, out.probabilities);
  await writeModelSnapshot(outDir, {
    modelId: stages.embedder.modelId,
    modelVersion: 1,
    createdAt: new Date().toISOString(),
    config,
    docs: read.docs,
    embeddings: out.embeddings,
    reduced: out.reduced,
    labels: out.labels,
    probabilities: out.probabilities,
    topics: out.topics,
  });
  process.stdout.write(formatTopicTable(out.topics, read.docs.length) + '\n');
  say(`wrote ${path.join(outDir, 'topics.json')}, ${path.join(outDir, 'assignments.jsonl')} and ${path.join(outDir, 'model/')}`);
  return 0;
}
