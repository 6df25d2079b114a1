/**
 * The flag tables of src/cli/commandSpecs.ts read by src/cli/flags.ts: help lists every flag,
 * flags become config at the declared paths, bad values are UsageErrors naming the flag.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { COMMAND_SPECS, FIT, EVAL, RUN, PRODUCE, MODEL } from '../../src/cli/commandSpecs.js';
import { defineCommand, flagLabel, helpText, parseCommand, UsageError, type CommandSpec } from '../../src/cli/flags.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { CLI, ROOT } from '../helpers/paths.js';

function parsed<C extends CommandSpec>(spec: C, argv: string[]) {
  const p = parseCommand(spec, argv);
  assert.equal(p.help, false);
  if (p.help) throw new Error('unreachable');
  return p;
}

function hasPath(obj: unknown, path: string): boolean {
  let cur = obj;
  for (const k of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !(k in cur)) return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  return true;
}

test('help lists every flag with its placeholder, the usage and -h; no placeholder is left unfilled', () => {
  for (const spec of COMMAND_SPECS) {
    const help = helpText(spec);
    assert.match(help, new RegExp(`^Usage: topicstream ${spec.name}`), spec.name);
    assert.match(help, /-h, --help/);
    for (const f of spec.flags) assert.ok(help.includes(`  ${flagLabel(f)}`), `${spec.name} --help lists ${flagLabel(f)}`);
    assert.doesNotMatch(help, /\{default\}|\{env\}/, spec.name);
    for (const line of help.split('\n')) {
      if (line.startsWith('  --')) assert.ok(line.length <= 100, `${spec.name}: line over 100 columns: ${line}`);
    }
  }
});

test('every config path a flag sets exists in the config schema', () => {
  const defaults = configSchema.parse({});
  for (const spec of COMMAND_SPECS) {
    for (const f of spec.flags) if (f.config) assert.ok(hasPath(defaults, f.config), `${spec.name} --${f.name} sets ${f.config}, which the schema does not have`);
  }
});

test('run: flags map to their config paths, and loadConfig accepts them', () => {
  const p = parsed(RUN, ['--brokers', 'a:1, b:2,', '--group', 'g', '--port', '0', '--state-dir', 's', '--text-field', 'body', '--window', '500', '--refit-every', '50', '--rate', '2.5', '--follower', '--quiet']);
  assert.deepEqual(p.config, {
    kafka: { brokers: ['a:1', 'b:2'], groupId: 'g' },
    http: { port: 0 },
    state: { dir: 's' },
    input: { textField: 'body' },
    stream: { window: { maxDocs: 500 }, refit: { everyDocs: 50 }, replayRate: 2.5, role: 'follower' },
  });
  assert.equal(p.values.quiet, true);
  assert.equal(p.values.serve, false);
  assert.equal(p.values.out, 'out/stream', 'plain default from the table');
  const c = loadConfig({ env: {}, flags: p.config });
  assert.equal(c.stream.window.maxDocs, 500);
  assert.equal(c.stream.role, 'follower');
  assert.deepEqual(c.kafka.brokers, ['a:1', 'b:2']);
});

test('flags not given set nothing; run keeps extra positionals for its warning', () => {
  const p = parsed(RUN, ['stray']);
  assert.deepEqual(p.config, {});
  assert.deepEqual(p.rest, ['stray']);
  assert.equal(p.values.window, undefined);
});

test('fit, eval, produce, model: positionals, plain values and config', () => {
  const fit = parsed(FIT, ['in.jsonl', '--seed', '7', '--min-cluster-size', '5', '--id-field', 'uid', '--limit', '3']);
  assert.equal(fit.args.input, 'in.jsonl');
  assert.deepEqual(fit.config, { seed: 7, hdbscan: { minClusterSize: 5 }, input: { idField: 'uid' } });
  assert.equal(fit.values.limit, 3);
  const ev = parsed(EVAL, ['in.jsonl', '--model', 'out/x']);
  assert.equal(ev.values.model, 'out/x');
  const prod = parsed(PRODUCE, ['in.jsonl', '--topic', 't']);
  assert.deepEqual(prod.config, { kafka: { topics: { posts: 't' } } });
  assert.equal(prod.values.batch, 100);
  assert.equal(prod.values.rate, 0);
  const model = parsed(MODEL, ['pull', '--dtype', 'q8']);
  assert.deepEqual(model.rest, ['pull']);
  assert.equal(model.values.dtype, 'q8');
  assert.equal(parsed(MODEL, ['pull']).values.dtype, 'both');
});

test('--help wins over missing arguments', () => {
  assert.equal(parseCommand(FIT, ['--help']).help, true);
  assert.equal(parseCommand(EVAL, ['-h']).help, true);
});

test('invalid values are UsageErrors that name the flag', () => {
  const cases: Array<[CommandSpec, string[], RegExp]> = [
    [RUN, ['--window', '5'], /^--window must be an integer >= 10, got "5"/],
    [RUN, ['--port', 'abc'], /^--port must be an integer >= 0, got "abc"/],
    [RUN, ['--refit-every', '1.5'], /^--refit-every must be an integer >= 1/],
    [RUN, ['--rate', 'fast'], /^--rate must be a number >= 0, got "fast"/],
    [RUN, ['--brokers', ' , '], /^--brokers must be a comma-separated list/],
    [RUN, ['--text-field', ''], /^--text-field must be a non-empty value/],
    [FIT, ['in', '--seed', ''], /^--seed must be an integer >= 0, got ""/],
    [FIT, ['in', '--min-cluster-size', '1'], /^--min-cluster-size must be an integer >= 2/],
    [MODEL, ['pull', '--dtype', 'fp16'], /^--dtype must be fp32, q8 or both, got "fp16"/],
    [FIT, ['in', '--bogus'], /Unknown option '--bogus'[\s\S]*Usage: topicstream fit/],
    [FIT, ['in', '--seed'], /'--seed <value>' argument missing/],
    [FIT, [], /^missing <input>\n\nUsage: topicstream fit/],
    [FIT, ['a', 'b'], /^unexpected arguments: b$/],
    [EVAL, ['in'], /^missing --model DIR\n\nUsage: topicstream eval/],
  ];
  for (const [spec, argv, re] of cases) {
    assert.throws(() => parseCommand(spec, argv), (e: unknown) => e instanceof UsageError && re.test(e.message), `${spec.name} ${argv.join(' ')}`);
  }
});

test('a table with an unknown {default} or {env} fails loudly', () => {
  const bad = defineCommand({ name: 'x', summary: '', usage: ['x'], about: '', args: [], flags: [{ name: 'y', type: 'string', help: 'y (default {default})' }] });
  assert.throws(() => helpText(bad), /--y: \{default\} needs a default or a config path/);
  const noEnv = defineCommand({ name: 'x', summary: '', usage: ['x'], about: '', args: [], flags: [{ name: 'w', type: 'int', config: 'stream.window.maxDocs', help: '({env})' }] });
  assert.throws(() => helpText(noEnv), /no environment variable sets stream\.window\.maxDocs/);
});

test('the CLI prints the same help and exits 2 on a bad value, naming the flag', () => {
  const help = spawnSync(process.execPath, [CLI, 'run', '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.equal(help.stdout, helpText(RUN) + '\n');
  const bad = spawnSync(process.execPath, [CLI, 'run', '--window', '5'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'topicstream: --window must be an integer >= 10, got "5"\n');
});
