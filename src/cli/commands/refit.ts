/** `topicstream refit <DIR> --out DIR2`: k-NN, UMAP, HDBSCAN and c-TF-IDF again on a fit's stored embeddings. */
import path from 'node:path';
import { parseCommand, showHelp } from '../flags.js';
import { REFIT } from '../commandSpecs.js';
import { buildFitStages, createEmbedderFromConfig } from '../../pipeline/components.js';
import { guidanceOptions, guidanceRecord } from '../../toolbox/guidance.js';
import { fitTopics } from '../../pipeline/fitTopics.js';
import { formatTopicTable } from '../topicTable.js';
import { clusterModelOf, stageProgress, toolboxOptions, toolboxRecord, writeFitOutputs } from './fitFiles.js';
import { configOverSaved, readSavedFit, storedEmbedder } from './savedFit.js';
import { clusteredLabels, toolboxSummary } from './fit.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(REFIT, argv);
  if (p.help) return showHelp(REFIT);
  const dir = p.args.dir;
  const snap = readSavedFit(dir);
  const config = configOverSaved(snap.config, p.values.config, p.config);
  const say = (s: string) => {
    if (!p.values.quiet) process.stderr.write(s + '\n');
  };
  say(`refitting ${snap.docs.length} documents of ${dir} on their stored ${snap.embeddings.cols}-d embeddings`);
  const stages = await buildFitStages(config, { log: say, embedder: storedEmbedder(snap.embeddings.cols, snap.modelId) });
  // names and seed topics are embedded by a model started for them (the stored embeddings' stand-in embeds nothing)
  const guidance = guidanceOptions(config, () => createEmbedderFromConfig(config));
  const out = await fitTopics(snap.docs, stages, {
    nNeighbors: config.umap.nNeighbors,
    embeddings: snap.embeddings,
    toolbox: toolboxOptions(snap.docs, config),
    guidance,
    ...stageProgress(p.values.quiet),
  });
  if (out.toolbox) say(toolboxSummary(out));
  const cluster = clusterModelOf(stages.clusterer, clusteredLabels(out));
  await writeFitOutputs(p.values.out, { ...out, docs: snap.docs, modelId: snap.modelId, cluster, provenance: { refit_of: path.resolve(dir), ...toolboxRecord(out.toolbox), ...guidanceRecord(guidance, out) } }, config);
  process.stdout.write(formatTopicTable(out.topics, snap.docs.length) + '\n');
  say(`wrote ${path.join(p.values.out, 'topics.json')}, ${path.join(p.values.out, 'assignments.jsonl')} and ${path.join(p.values.out, 'model/')}`);
  return 0;
}
