/** `topicstream eval <input> --model DIR`: scores a fitted model's topics on a corpus. */
import { parseCommand, showHelp } from '../flags.js';
import { EVAL } from '../commandSpecs.js';
import { deepMerge, loadConfig } from '../../config/load.js';
import { readDocs } from '../../io/readDocs.js';
import { readTopicsFile, readAssignments } from '../../model/outputs.js';
import { hasModelSnapshot } from '../../model/snapshot.js';
import { evaluateTopics } from '../../eval/evaluateTopics.js';
import type { Config } from '../../config/schema.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a model snapshot's manifest (src/model/snapshot.ts) that eval reads. */
interface Manifest {
  config?: Partial<Config>;
  topics: Array<{ id: number; words: Array<{ word: string }> }>;
}

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(EVAL, argv);
  if (p.help) return showHelp(EVAL);
  const input = p.args.input;
  const dir = p.values.model;
  const manifest = hasModelSnapshot(dir) ? (JSON.parse(readFileSync(path.join(dir, 'model', 'manifest.json'), 'utf8')) as Manifest) : undefined;
  // the fitted model's own input and vectorizer settings, unless a flag overrides them
  const fitted = manifest?.config ?? {};
  const flags = deepMerge({ input: fitted.input ?? {}, ...(fitted.vectorizer ? { vectorizer: fitted.vectorizer } : {}) }, p.config);
  const config = loadConfig({ file: p.values.config, flags });
  const read = await readDocs(input, config.input);
  if (read.docs.length === 0) {
    process.stderr.write(`topicstream: no usable document in ${input}\n`);
    return 1;
  }
  const topics = manifest ? manifest.topics : readTopicsFile(dir).topics;
  const assignments = readAssignments(dir);
  const result = evaluateTopics(read.docs, assignments, topics, config);
  if (result.n_docs === 0) {
    process.stderr.write(`topicstream: none of the ${read.docs.length} documents of ${input} has an assignment in ${dir}; is it the file the model was fitted on?\n`);
    return 1;
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}
