#!/usr/bin/env node
/** `topicstream` command line: dispatches to one module per command. */
import { UsageError } from './args.js';
import { ConfigError } from '../config/load.js';
import { InputError } from '../io/lines.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  fit: { summary: 'fit a topic model on a JSON Lines file (batch, like BERTopic.fit_transform)', load: () => import('./commands/fit.js') },
  eval: { summary: 'score a fitted model on a file: NPMI, diversity, outliers, NMI/ARI with labels', load: () => import('./commands/eval.js') },
  run: { summary: 'run the streaming service (Kafka, or --input FILE replayed as a stream)', load: () => import('./commands/run.js') },
  produce: { summary: 'replay a JSON Lines file into a Kafka topic (load generator)', load: () => import('./commands/produce.js') },
  model: { summary: 'manage the embedding model: `model pull` downloads it into the cache', load: () => import('./commands/model.js') },
};

export const MAIN_HELP = `topicstream — a streaming topic model (BERTopic's pipeline: embeddings, UMAP, HDBSCAN, c-TF-IDF)

Usage: topicstream <command> [options]     (topicstream <command> --help for its options)

Commands:
${Object.entries(COMMANDS)
  .map(([n, c]) => `  ${n.padEnd(9)}${c.summary}`)
  .join('\n')}

Examples:
  topicstream fit data/20ng-sample.jsonl.gz --out out/20ng
  topicstream eval data/20ng-sample.jsonl.gz --model out/20ng
  topicstream run --input data/tweets-sample.jsonl.gz
  topicstream model pull

Configuration: config/default.json lists every setting; --config FILE overrides it, environment
variables (TOPICSTREAM_*) override the file, flags override both. See README.md.`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(MAIN_HELP + '\n');
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-v') {
    const { VERSION } = await import('../version.js');
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    process.stderr.write(`topicstream: unknown command "${cmd}"\n\n${MAIN_HELP}\n`);
    return 2;
  }
  const mod = await entry.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof InputError) {
      process.stderr.write(`topicstream: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`topicstream: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
