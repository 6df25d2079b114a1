/** `topicstream predict <DIR> <input>`: topics for new documents from a saved fit (BERTopic's transform). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseCommand, showHelp } from '../flags.js';
import { PREDICT } from '../commandSpecs.js';
import { deserializeHdbscanModel } from '../../cluster/serialize.js';
import { roundTo } from '../../core/round.js';
import type { Doc, Matrix } from '../../core/types.js';
import { InputError } from '../../io/lines.js';
import { readDocs } from '../../io/readDocs.js';
import { createEmbedderFromConfig, hnswOptions } from '../../pipeline/components.js';
import { predictTopics, type TopicPrediction } from '../../pipeline/predictTopics.js';
import { progressBar } from '../progress.js';
import { configOverSaved, readSavedFit } from './savedFit.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(PREDICT, argv);
  if (p.help) return showHelp(PREDICT);
  const { dir, input } = p.args;
  const quiet = p.values.quiet;
  const say = (s: string) => {
    if (!quiet) process.stderr.write(s + '\n');
  };
  const snap = readSavedFit(dir);
  if (!snap.clusterer || !snap.clusterTopics || !snap.reduced) {
    throw new InputError(`${dir} has no HDBSCAN model (written before predict existed): run \`topicstream refit ${dir} --out ${dir}\` first`);
  }
  const config = configOverSaved(snap.config, p.values.config, p.config);
  const read = await readDocs(input, { ...config.input, limit: p.values.limit, onRejected: (r) => process.stderr.write(`${input}:${r.lineNo}: skipped (${r.reason}): ${r.message}\n`) });
  if (read.docs.length === 0) {
    process.stderr.write(`topicstream: no usable document in ${input} (text field "${config.input.textField}")\n`);
    return 1;
  }
  const embedder = await createEmbedderFromConfig(config, { log: say, onModelDownload: quiet ? undefined : progressBar('download', 0).update });
  let x: Matrix;
  try {
    if (embedder.modelId !== snap.modelId) say(`note: ${dir} was fitted on embeddings of ${snap.modelId}; embedding with ${embedder.modelId}`);
    const bar = progressBar('embed', read.docs.length, process.stderr, quiet);
    x = await embedder.embed(read.docs.map((d) => d.text), bar.update);
    bar.done();
  } finally {
    await embedder.close();
  }
  const place = progressBar('predict', read.docs.length, process.stderr, quiet);
  const model = deserializeHdbscanModel(snap.clusterer);
  const pred = predictTopics(
    { embeddings: snap.embeddings, reduced: snap.reduced, model, clusterTopics: snap.clusterTopics },
    x,
    { nNeighbors: config.umap.nNeighbors, hnsw: hnswOptions(config), onProgress: place.update },
  );
  place.done();
  await writePredictions(read.docs, pred, p.values.out);
  const outliers = pred.topics.filter((t) => t === -1).length;
  say(`${read.docs.length} documents: ${read.docs.length - outliers} in ${new Set(pred.topics).size - (outliers ? 1 : 0)} topics, ${outliers} outliers` + (p.values.out ? `; wrote ${p.values.out}` : ''));
  return 0;
}

async function writePredictions(docs: readonly Doc[], pred: TopicPrediction, file: string | undefined): Promise<void> {
  const out: Writable = file ? createWriteStream(file) : process.stdout;
  for (let i = 0; i < docs.length; i++) {
    const line = JSON.stringify({ id: docs[i]!.id, topic: pred.topics[i], probability: roundTo(pred.probabilities[i]!, 6) }) + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  if (file) {
    out.end();
    await once(out, 'finish');
  }
}
