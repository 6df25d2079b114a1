/** `topicstream reduce <DIR> --out DIR2 --nr-topics N|auto | --reduce-outliers S`: the toolbox on a fit's topics as they are. */
import path from 'node:path';
import { parseCommand, showHelp, usageError } from '../flags.js';
import { REDUCE } from '../commandSpecs.js';
import { describeWithWords } from '../../pipeline/components.js';
import { runToolbox, type StageName } from '../../pipeline/fitTopics.js';
import { topicsOverTime } from '../../pipeline/topicsOverTime.js';
import { deserializeHdbscanModel } from '../../cluster/serialize.js';
import { toolboxActive } from '../../toolbox/applyToolbox.js';
import { formatTopicTable } from '../topicTable.js';
import { stageProgress, toolboxOptions, toolboxRecord, writeFitOutputs, type FitResult } from './fitFiles.js';
import { configOverSaved, readSavedFit, storedEmbedder } from './savedFit.js';
import { toolboxSummary } from './fit.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(REDUCE, argv);
  if (p.help) return showHelp(REDUCE);
  const dir = p.args.dir;
  const snap = readSavedFit(dir);
  // the toolbox settings come from this command only, not from the fit that made DIR
  const saved = { ...(snap.config as Record<string, unknown>), toolbox: undefined };
  const config = configOverSaved(saved, p.values.config, p.config);
  if (!toolboxActive(config.toolbox)) throw usageError(REDUCE, 'nothing to do: give --nr-topics or --reduce-outliers');
  const say = (s: string) => {
    if (!p.values.quiet) process.stderr.write(s + '\n');
  };
  const progress = stageProgress(p.values.quiet);
  const seconds: Partial<Record<StageName, number>> = {};
  const tb = runToolbox(snap.docs, snap.embeddings, snap.labels, { toolbox: toolboxOptions(snap.docs, config), ...progress }, seconds);
  say(toolboxSummary({ toolbox: tb }));
  const t0 = performance.now();
  // the topic words by the representation (the fit's, or --representation); MMR / KeyBERT start the model for the words
  const { topics, terms } = await describeWithWords(snap.docs, tb.labels, snap.embeddings, config, storedEmbedder(snap.embeddings.cols, snap.modelId), {});
  seconds.ctfidf = (performance.now() - t0) / 1000;
  progress.onStageDone?.('ctfidf', seconds.ctfidf);
  // HDBSCAN's clusters keep their model; their topics follow the merges
  const cluster =
    snap.clusterer && snap.clusterTopics
      ? { clusterer: snap.clusterer, clusterTopics: snap.clusterTopics.map((t) => (t < 0 ? t : (tb.mapping.get(t) ?? t))) }
      : null;
  if (cluster) deserializeHdbscanModel(cluster.clusterer); // fail here, not in a later predict, on a damaged model
  const result: FitResult = {
    docs: snap.docs,
    embeddings: snap.embeddings,
    reduced: snap.reduced,
    labels: tb.labels,
    probabilities: snap.probabilities,
    topics,
    terms,
    topicsOverTime: topicsOverTime(snap.docs, tb.labels, config),
    seconds,
    modelId: snap.modelId,
    cluster,
    provenance: { reduced_from: path.resolve(dir), ...toolboxRecord(tb) },
  };
  await writeFitOutputs(p.values.out, result, config);
  process.stdout.write(formatTopicTable(topics, snap.docs.length) + '\n');
  say(`wrote ${path.join(p.values.out, 'topics.json')}, ${path.join(p.values.out, 'assignments.jsonl')} and ${path.join(p.values.out, 'model/')}`);
  return 0;
}
