/**
 * One way for every command to take flags. A command declares a table (src/cli/commandSpecs.ts):
 * each flag's name, type, validation, the config path it sets (or its plain default) and its help
 * line. From that one table come the node:util parseArgs options, the `--help` text, the checked
 * values and the partial config the flags override (merged last by src/config/load.ts).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { configSchema } from '../config/schema.js';
import { ENV_VARS, setPath } from '../config/load.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type FlagType = 'string' | 'boolean' | 'int' | 'number' | 'list' | 'choice' | 'intOrChoice';

export interface FlagSpec {
  /** Long name, without the dashes. */
  readonly name: string;
  /** string; boolean (a switch); int or number (>= min); list (comma-separated); choice (one of choices); intOrChoice (an int >= min or one of choices, e.g. `--nr-topics 20|auto`). */
  readonly type: FlagType;
  /** The value's placeholder in the help: N, FILE, DIR, LIST. */
  readonly arg?: string;
  /** Help line; `{default}` is replaced by the default (`default`, else the schema's for `config`), `{env}` by the config path's environment variable. */
  readonly help: string;
  /** int and number: the smallest value accepted (0 when absent). */
  readonly min?: number;
  readonly choices?: readonly string[];
  /** Dotted config path the value sets, e.g. "stream.window.maxDocs". */
  readonly config?: string;
  /** A boolean flag with a config path: the value it sets there (true when absent). */
  readonly sets?: string | number | boolean;
  /** A flag without a config path: its value when the flag is not given. */
  readonly default?: string | number;
  readonly required?: boolean;
  /** Help section; "Options" when absent. */
  readonly section?: string;
}

export interface CommandSpec {
  readonly name: string;
  /** One line for `topicstream --help`. */
  readonly summary: string;
  /** What follows "Usage: ", one line per form. */
  readonly usage: readonly string[];
  /** Free text between the usage and the flags. */
  readonly about: string;
  /** Required positional arguments, in order (named in errors: "missing <input>"). */
  readonly args: readonly string[];
  /** Further positionals come back in `rest` instead of being an error. */
  readonly moreArgs?: boolean;
  readonly flags: readonly FlagSpec[];
  /** Free text after the flags. */
  readonly footer?: string;
}

/** Identity functions that keep a table's literal types (flag names, choices) for typed values. */
export const defineFlag = <const F extends FlagSpec>(f: F): F => f;
export const defineCommand = <const C extends CommandSpec>(c: C): C => c;

type ValueOf<F extends FlagSpec> = F['type'] extends 'boolean'
  ? boolean
  : F['type'] extends 'intOrChoice'
    ? number | (F extends { choices: readonly (infer C)[] } ? C : never)
  : F['type'] extends 'int' | 'number'
    ? number
    : F['type'] extends 'list'
      ? string[]
      : F extends { choices: readonly (infer C)[] }
        ? C
        : string;

type Always = { type: 'boolean' } | { required: true } | { default: string | number };

export type FlagValues<C extends CommandSpec> = {
  readonly [F in C['flags'][number] as F['name']]: F extends Always ? ValueOf<F> : ValueOf<F> | undefined;
};

export type Parsed<C extends CommandSpec> =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly values: FlagValues<C>;
      readonly args: { readonly [A in C['args'][number]]: string };
      readonly rest: string[];
      /** The flags' settings as a partial config, for loadConfig({ flags }). */
      readonly config: Record<string, unknown>;
    };

type ParserOptions = NonNullable<ParseArgsConfig['options']>;

export function parserOptions(spec: CommandSpec): ParserOptions {
  const options: ParserOptions = { help: { type: 'boolean', short: 'h' } };
  for (const f of spec.flags) options[f.name] = { type: f.type === 'boolean' ? 'boolean' : 'string' };
  return options;
}

/** Parses argv by the table: checked values, positionals and the flags' config. Throws UsageError. */
export function parseCommand<C extends CommandSpec>(spec: C, argv: readonly string[]): Parsed<C> {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: parserOptions(spec), allowPositionals: true, strict: true }) as typeof parsed;
  } catch (e) {
    throw usageError(spec, (e as Error).message);
  }
  if (parsed.values.help) return { help: true };
  const args: Record<string, string> = {};
  spec.args.forEach((name, i) => {
    const v = parsed.positionals[i];
    if (v === undefined) throw usageError(spec, `missing <${name}>`);
    args[name] = v;
  });
  const rest = parsed.positionals.slice(spec.args.length);
  if (rest.length && !spec.moreArgs) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const values: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  for (const f of spec.flags) {
    const v = flagValue(f, parsed.values[f.name]);
    if (v === undefined && f.required) throw usageError(spec, `missing ${flagLabel(f)}`);
    values[f.name] = v;
    if (f.config && v !== undefined && v !== false) setPath(config, f.config, f.type === 'boolean' ? (f.sets ?? true) : v);
  }
  return { help: false, values: values as FlagValues<C>, args: args as { [A in C['args'][number]]: string }, rest, config };
}

/** A flag's checked value: its default when absent, else converted by type; UsageError names the flag. */
export function flagValue(f: FlagSpec, raw: string | boolean | undefined): unknown {
  if (f.type === 'boolean') return raw === true;
  if (raw === undefined || typeof raw === 'boolean') return f.default;
  const bad = (what: string) => new UsageError(`--${f.name} must be ${what}, got "${raw}"`);
  switch (f.type) {
    case 'intOrChoice': {
      if ((f.choices ?? []).includes(raw)) return raw;
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isInteger(n) || n < (f.min ?? 0)) throw bad(`an integer >= ${f.min ?? 0} or ${(f.choices ?? []).join(', ')}`);
      return n;
    }
    case 'int':
    case 'number': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      const min = f.min ?? 0;
      const ok = f.type === 'int' ? Number.isInteger(n) : Number.isFinite(n);
      if (!ok || n < min) throw bad(`${f.type === 'int' ? 'an integer' : 'a number'} >= ${min}`);
      return n;
    }
    case 'list': {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      if (!items.length) throw bad('a comma-separated list');
      return items;
    }
    case 'choice': {
      const choices = f.choices ?? [];
      if (!choices.includes(raw)) throw bad(`${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`);
      return raw;
    }
    default:
      if (raw === '') throw bad('a non-empty value');
      return raw;
  }
}

export function usageError(spec: CommandSpec, message: string): UsageError {
  return new UsageError(`${message}\n\n${helpText(spec)}`);
}

/** Writes the command's help to stdout; returns the exit code. */
export function showHelp(spec: CommandSpec, code = 0): number {
  process.stdout.write(helpText(spec) + '\n');
  return code;
}

const WIDTH = 100;

export function helpText(spec: CommandSpec): string {
  const rows = spec.flags.map((f) => ({ section: f.section ?? 'Options', label: flagLabel(f), text: flagHelp(f) }));
  rows.push({ section: 'Options', label: '-h, --help', text: 'this help' });
  const column = 2 + Math.max(...rows.map((r) => r.label.length)) + 2;
  const out = [`Usage: ${spec.usage.join('\n       ')}`, '', spec.about];
  for (const section of new Set(rows.map((r) => r.section))) {
    out.push('', `${section}:`);
    for (const r of rows) if (r.section === section) out.push(wrap(`  ${r.label}`.padEnd(column) + r.text, column));
  }
  if (spec.flags.some((f) => f.config)) out.push('', 'A [key] is the config key the flag sets; flags override --config FILE and the environment.');
  if (spec.footer) out.push('', spec.footer);
  return out.join('\n');
}

export function flagLabel(f: FlagSpec): string {
  return f.type === 'boolean' ? `--${f.name}` : `--${f.name} ${f.arg ?? 'VALUE'}`;
}

/** The help line with its placeholders filled in and the config key it sets. */
export function flagHelp(f: FlagSpec): string {
  const text = f.help
    .replaceAll('{default}', () => formatValue(f.default ?? schemaDefault(f)))
    .replaceAll('{env}', () => `env ${envVarOf(f)}`);
  if (!f.config) return text;
  return `${text} [${f.config}${f.type === 'boolean' ? `=${String(f.sets ?? true)}` : ''}]`;
}

let defaults: Record<string, unknown> | undefined;

function schemaDefault(f: FlagSpec): unknown {
  if (!f.config) throw new Error(`flag --${f.name}: {default} needs a default or a config path`);
  defaults ??= configSchema.parse({}) as Record<string, unknown>;
  let cur: unknown = defaults;
  for (const k of f.config.split('.')) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[k] : undefined;
  if (cur === undefined) throw new Error(`flag --${f.name}: the config schema has no default for ${f.config}`);
  return cur;
}

function envVarOf(f: FlagSpec): string {
  const name = Object.keys(ENV_VARS).find((n) => ENV_VARS[n]!.path === f.config);
  if (!name) throw new Error(`flag --${f.name}: no environment variable sets ${f.config ?? '(no config path)'}`);
  return name;
}

function formatValue(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** Word-wraps a help row; continuation lines start at `indent`. */
function wrap(line: string, indent: number): string {
  if (line.length <= WIDTH) return line;
  const lines: string[] = [];
  let cur = line.slice(0, indent).trimEnd();
  for (const word of line.slice(indent).split(' ')) {
    const next = cur.length < indent ? cur.padEnd(indent) + word : `${cur} ${word}`;
    if (next.length > WIDTH && cur.length >= indent) {
      lines.push(cur);
      cur = ' '.repeat(indent) + word;
    } else cur = next;
  }
  lines.push(cur);
  return lines.join('\n');
}
