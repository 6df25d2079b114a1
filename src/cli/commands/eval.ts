/** `topicstream eval <input> --model DIR`: scores a fitted model's topics on a corpus. */
import { parse, UsageError } from '../args.js';
import { loadConfig } from '../../config/load.js';
import { readDocs } from '../../io/readDocs.js';
import { readTopicsFile, readAssignments } from '../../model/outputs.js';
import { hasModelSnapshot } from '../../model/snapshot.js';
import { evaluateTopics } from '../../eval/evaluateTopics.js';
import type { Config } from '../../config/schema.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const USAGE = `Usage: topicstream eval <input.jsonl[.gz]> --model DIR [--text-field F]

Scores the topics of a model fitted with \`topicstream fit --out DIR\` on a corpus (usually the
same file) and prints one JSON object:
  n_docs, n_topics, outlier_ratio   documents scored, topics (without -1), share of outliers
  npmi        mean NPMI coherence of each topic's top 10 words (document co-occurrence in the corpus)
  diversity   unique words / all words in the top 25 words of every topic
  nmi, ari    agreement with the "label" field (sklearn's definitions; outliers count as one cluster),
              when the input has labels; nmi_clustered/ari_clustered leave the outliers out

Options:
  --model DIR       the output folder of \`topicstream fit\` (required)
  --text-field F    field holding the text (default: the one the model was fitted with)
  --config FILE     JSON config
  -h, --help        this help`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { model: { type: 'string' }, 'text-field': { type: 'string' }, config: { type: 'string' } }, USAGE);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const input = positionals[0];
  if (!input) throw new UsageError(`missing <input>\n\n${USAGE}`);
  if (!values.model) throw new UsageError(`missing --model DIR\n\n${USAGE}`);
  const dir = values.model;
  // the fitted model's own input settings, unless overridden
  let fitted: Partial<Config> = {};
  if (hasModelSnapshot(dir)) {
    fitted = (JSON.parse(readFileSync(path.join(dir, 'model', 'manifest.json'), 'utf8')) as { config: Partial<Config> }).config ?? {};
  }
  const flags: Record<string, unknown> = { input: { ...(fitted.input ?? {}), ...(values['text-field'] ? { textField: values['text-field'] } : {}) } };
  if (fitted.vectorizer) flags.vectorizer = fitted.vectorizer;
  const config = loadConfig({ file: values.config, flags });
  const read = await readDocs(input, config.input);
  if (read.docs.length === 0) {
    process.stderr.write(`topicstream: no usable document in ${input}\n`);
    return 1;
  }
  const topics = hasModelSnapshot(dir)
    ? (JSON.parse(readFileSync(path.join(dir, 'model', 'manifest.json'), 'utf8')) as { topics: Array<{ id: number; words: Array<{ word: string }> }> }).topics
    : readTopicsFile(dir).topics;
  const assignments = readAssignments(dir);
  const result = evaluateTopics(read.docs, assignments, topics, config);
  if (result.n_docs === 0) {
    process.stderr.write(`topicstream: none of the ${read.docs.length} documents of ${input} has an assignment in ${dir}; is it the file the model was fitted on?\n`);
    return 1;
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}
