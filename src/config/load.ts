/**
 * Builds the effective configuration: defaults < config file < environment < command-line flags,
 * validated once at start-up with a message that names the bad setting and where it came from.
 */
import { readFileSync, existsSync } from 'node:fs';
import { ZodError } from 'zod';
import { configSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, everything else (arrays included) replaces. */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  }
  return out;
}

/** Sets obj[a][b][c] = value for path "a.b.c", creating objects on the way. */
export function setPath(obj: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(cur[k])) cur[k] = {};
    cur = cur[k] as Obj;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** Environment variables with a documented meaning; each maps to a config path. */
export const ENV_VARS: Record<string, { path: string; parse: (s: string) => unknown; help: string }> = {
  TOPICSTREAM_KAFKA_BROKERS: { path: 'kafka.brokers', parse: (s) => s.split(',').map((x) => x.trim()).filter(Boolean), help: 'comma-separated host:port list' },
  TOPICSTREAM_KAFKA_CLIENT_ID: { path: 'kafka.clientId', parse: String, help: 'Kafka client id' },
  TOPICSTREAM_KAFKA_GROUP_ID: { path: 'kafka.groupId', parse: String, help: 'consumer group id' },
  TOPICSTREAM_KAFKA_INPUT_TOPIC: { path: 'kafka.topics.posts', parse: String, help: 'input topic' },
  TOPICSTREAM_HTTP_PORT: { path: 'http.port', parse: Number, help: 'HTTP port for /metrics, API, dashboard' },
  TOPICSTREAM_HTTP_HOST: { path: 'http.host', parse: String, help: 'HTTP interface to bind (127.0.0.1; 0.0.0.0 in containers)' },
  TOPICSTREAM_HTTP_TOKEN: { path: 'http.token', parse: String, help: 'bearer token for the API and dashboard (at least 16 characters)' },
  TOPICSTREAM_STATE_DIR: { path: 'state.dir', parse: String, help: 'snapshot folder' },
  TOPICSTREAM_LOG_LEVEL: { path: 'log.level', parse: String, help: 'fatal|error|warn|info|debug|trace|silent' },
  TOPICSTREAM_MODEL_DIR: { path: 'embedding.modelDir', parse: String, help: 'folder with the ONNX model' },
  TOPICSTREAM_EMBED_DTYPE: { path: 'embedding.dtype', parse: String, help: 'fp32|q8' },
  TOPICSTREAM_EMBED_WORKERS: { path: 'embedding.workers', parse: (s) => (s === 'auto' ? s : Number(s)), help: 'embedding worker threads or auto' },
};

/** Generic override: TOPICSTREAM__stream__window__maxDocs=5000 sets stream.window.maxDocs (value parsed as JSON when it parses). */
const GENERIC_PREFIX = 'TOPICSTREAM__';

function parseLoose(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export function envOverrides(env: NodeJS.ProcessEnv): Obj {
  const out: Obj = {};
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(out, spec.path, spec.parse(v));
  }
  for (const [name, v] of Object.entries(env)) {
    if (!name.startsWith(GENERIC_PREFIX) || v === undefined) continue;
    setPath(out, name.slice(GENERIC_PREFIX.length).split('__').join('.'), parseLoose(v));
  }
  return out;
}

export function readConfigFile(file: string): Obj {
  if (!existsSync(file)) throw new ConfigError(`config file not found: ${file}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(parsed)) throw new ConfigError(`config file ${file} must hold a JSON object`);
  return parsed;
}

function describeZod(err: ZodError): string {
  return err.issues
    .map((i) => `  - ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('\n');
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Flag overrides as a partial config object. */
  flags?: Obj;
}

export function loadConfig(opts: LoadOptions = {}): Config {
  let merged: Obj = {};
  const sources: string[] = ['defaults'];
  if (opts.file) {
    merged = deepMerge(merged, readConfigFile(opts.file));
    sources.push(`file ${opts.file}`);
  }
  const env = envOverrides(opts.env ?? process.env);
  if (Object.keys(env).length) {
    merged = deepMerge(merged, env);
    sources.push('environment');
  }
  if (opts.flags && Object.keys(opts.flags).length) {
    merged = deepMerge(merged, opts.flags);
    sources.push('flags');
  }
  const r = configSchema.safeParse(merged);
  if (!r.success) {
    throw new ConfigError(`invalid configuration (from ${sources.join(' < ')}):\n${describeZod(r.error)}`);
  }
  return r.data;
}
