/**
 * Topic words with and without the service's readable-word settings, on the same embeddings and
 * clusters: fits once (embed → k-NN → UMAP → HDBSCAN, `fit`'s config), then describes the clusters
 * with each word setting and scores them. NPMI (top 10 words, document co-occurrence) is counted
 * over one tokenisation of the corpus for every setting (BERTopic's cleaning, nothing else left out),
 * so a setting's words are all findable and the scores compare; diversity over the top 25 words;
 * "noise@10": the share of top-10 words that are stop words, URL remnants ("http..."), or numbers.
 *
 *   node dist/bench/represent/readableWords.js --input data/tweets-sample.jsonl.gz [--limit 3000] [--out FILE.json]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { readDocs } from '../../src/io/readDocs.js';
import { buildFitStages } from '../../src/pipeline/components.js';
import { fitTopics } from '../../src/pipeline/fitTopics.js';
import { serviceVectorizer, topicTerms } from '../../src/pipeline/describeTopics.js';
import { createAnalyzer, readableLabel, SKLEARN_ENGLISH_STOP_WORDS } from '../../src/represent/index.js';
import { npmiCoherence } from '../../src/eval/npmi.js';
import { topicDiversity } from '../../src/eval/diversity.js';
import { roundTo } from '../../src/core/round.js';
import { writeJson } from '../batch/exportedModel.js';

const { values } = parseArgs({ options: { input: { type: 'string' }, limit: { type: 'string' }, out: { type: 'string' } } });
if (!values.input) {
  process.stderr.write('usage: readableWords.js --input FILE [--limit N] [--out FILE.json]\n');
  process.exit(2);
}
const config = loadConfig({});
const docs = (await readDocs(values.input, config.input)).docs.slice(0, values.limit ? Number(values.limit) : undefined);
const texts = docs.map((d) => d.text);

const stages = await buildFitStages(config);
const t0 = performance.now();
const fitted = await fitTopics(docs, stages, { nNeighbors: config.umap.nNeighbors, onStageDone: (s, sec) => process.stderr.write(`${s}: ${sec.toFixed(1)}s\n`) });
await stages.embedder.close();
const fitSeconds = (performance.now() - t0) / 1000;

const service = serviceVectorizer(config);
const settings: Array<{ name: string; vectorizer: Config['vectorizer'] }> = [
  { name: 'fit default (BERTopic: no stop words, no filters)', vectorizer: config.vectorizer },
  { name: 'English stop words only', vectorizer: { ...config.vectorizer, stopWords: 'english' } },
  { name: 'URL/@handle/entity/number filters only', vectorizer: { ...service, stopWords: null } },
  { name: 'service default (stop words + filters)', vectorizer: service },
];

const reference = createAnalyzer({ cleaning: 'bertopic-english' });
const tokenised = texts.map(reference);
const stop = new Set(SKLEARN_ENGLISH_STOP_WORDS);
const isNoise = (w: string) => stop.has(w) || w.startsWith('http') || /^\d+$/.test(w);

const rows = settings.map(({ name, vectorizer }) => {
  const tt = topicTerms(texts, fitted.labels, config, { vectorizer });
  const real = tt.topics.filter((t) => t.id !== -1);
  const top10 = real.flatMap((t) => t.words.slice(0, 10).map((w) => w.word));
  const largest = [...real].sort((a, b) => b.size - a.size).slice(0, 5);
  return {
    setting: name,
    npmi: roundTo(npmiCoherence(real, tokenised, { topN: 10 }).mean, 4),
    diversity: roundTo(topicDiversity(real, { topK: 25 }), 4),
    noiseAt10: roundTo(top10.filter(isNoise).length / Math.max(1, top10.length), 4),
    largest: largest.map((t) => `${t.size} · ${readableLabel(t.id, t.words)}`),
  };
});
const result = { input: values.input, docs: docs.length, topics: new Set(fitted.labels).size - (fitted.labels.includes(-1) ? 1 : 0), outliers: fitted.labels.filter((l) => l === -1).length, fitSeconds: roundTo(fitSeconds, 1), rows };
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
if (values.out) writeJson(values.out, result);
