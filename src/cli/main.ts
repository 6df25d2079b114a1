#!/usr/bin/env node
/** `topicstream` command line: dispatches to one module per command. */
import { UsageError, type CommandSpec } from './flags.js';
import { FIT, REFIT, REDUCE, PREDICT, EVAL, RUN, PRODUCE, MODEL, REPORT } from './commandSpecs.js';
import { ConfigError } from '../config/load.js';
import { InputError } from '../io/lines.js';

type Command = { run(argv: string[]): Promise<number> };
const COMMANDS: Record<string, { spec: CommandSpec; load: () => Promise<Command> }> = {
  fit: { spec: FIT, load: () => import('./commands/fit.js') },
  refit: { spec: REFIT, load: () => import('./commands/refit.js') },
  reduce: { spec: REDUCE, load: () => import('./commands/reduce.js') },
  predict: { spec: PREDICT, load: () => import('./commands/predict.js') },
  eval: { spec: EVAL, load: () => import('./commands/eval.js') },
  run: { spec: RUN, load: () => import('./commands/run.js') },
  produce: { spec: PRODUCE, load: () => import('./commands/produce.js') },
  model: { spec: MODEL, load: () => import('./commands/model.js') },
  report: { spec: REPORT, load: () => import('./commands/report.js') },
};

export const MAIN_HELP = `topicstream — a streaming topic model (BERTopic's pipeline: embeddings, UMAP, HDBSCAN, c-TF-IDF)

Usage: topicstream <command> [options]     (topicstream <command> --help for its options)

Commands:
${Object.entries(COMMANDS)
  .map(([n, c]) => `  ${n.padEnd(9)}${c.spec.summary}`)
  .join('\n')}

Examples:
  topicstream fit data/20ng-sample.jsonl.gz --out out/20ng
  topicstream eval data/20ng-sample.jsonl.gz --model out/20ng
  topicstream report out/20ng --out report.html
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
