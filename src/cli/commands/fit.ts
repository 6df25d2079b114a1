/** `topicstream fit <input>`: the batch topic model on a file, like BERTopic.fit_transform. */
import path from 'node:path';
import { parseCommand, showHelp } from '../flags.js';
import { FIT } from '../commandSpecs.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import type { Doc } from '../../core/types.js';
import { readDocs } from '../../io/readDocs.js';
import { progressBar } from '../progress.js';
import { buildFitStages, createEmbedderFromConfig } from '../../pipeline/components.js';
import { guidanceOptions, guidanceRecord } from '../../toolbox/guidance.js';
import { fitTopics, type FitOutput } from '../../pipeline/fitTopics.js';
import { loadStoredEmbeddings } from '../../pipeline/storedEmbeddings.js';
import { formatTopicTable } from '../topicTable.js';
import { clusterModelOf, stageProgress, toolboxOptions, toolboxRecord, writeFitOutputs } from './fitFiles.js';
import { storedEmbedder } from './savedFit.js';

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
  const stored = p.values.embeddings ? loadStoredEmbeddings(p.values.embeddings, docs) : null;
  if (stored) say(`reusing ${stored.embeddings.rows} x ${stored.embeddings.cols} embeddings from ${p.values.embeddings}`);
  const embedder = stored ? storedEmbedder(stored.embeddings.cols, stored.modelId ?? `${config.embedding.model} (precomputed: ${path.basename(p.values.embeddings!)})`) : undefined;
  const stages = await buildFitStages(config, { log: say, onModelDownload: quiet ? undefined : progressBar('download', 0).update, ...(embedder ? { embedder } : {}) });
  let out: FitOutput;
  // names and seed topics embed with the fit's model (with stored embeddings: one started for them)
  const guidance = stored ? guidanceOptions(config, () => createEmbedderFromConfig(config)) : guidanceOptions(config, async () => stages.embedder, false);
  try {
    out = await fitTopics(docs, stages, {
      nNeighbors: config.umap.nNeighbors,
      ...(stored ? { embeddings: stored.embeddings } : {}),
      toolbox: toolboxOptions(docs, config),
      guidance,
      ...stageProgress(quiet),
    });
  } finally {
    await stages.embedder.close();
  }
  if (out.toolbox) say(toolboxSummary(out));
  await writeFitOutputs(outDir, { ...out, docs, modelId: stages.embedder.modelId, cluster: clusterModelOf(stages.clusterer, clusteredLabels(out)), provenance: { ...toolboxRecord(out.toolbox), ...guidanceRecord(guidance, out) } }, config);
  process.stdout.write(formatTopicTable(out.topics, docs.length) + '\n');
  say(`wrote ${path.join(outDir, 'topics.json')}, ${path.join(outDir, 'assignments.jsonl')} and ${path.join(outDir, 'model/')}`);
  return 0;
}

/** The final topics of the documents HDBSCAN clustered (all but those zero-shot topics took), in its row order. */
export function clusteredLabels(out: Pick<FitOutput, 'labels' | 'guidance'>): Int32Array {
  const rows = out.guidance?.clusteredRows;
  return rows ? Int32Array.from(rows, (r) => out.labels[r]!) : out.labels;
}

/** "topics 335 -> 40, outliers 7,012 -> 1,204" after the toolbox ran. */
export function toolboxSummary(out: Pick<FitOutput, 'toolbox'>): string {
  const s = out.toolbox!.summary;
  const n = (x: number) => x.toLocaleString('en-US');
  return `topics ${n(s.topicsBefore)} -> ${n(s.topicsAfter)}, outliers ${n(s.outliersBefore)} -> ${n(s.outliersAfter)}`;
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
