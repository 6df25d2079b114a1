/**
 * Where the embedding model lives and what a complete model folder holds.
 *
 * The folder is laid out as transformers.js expects a local model
 * (`env.localModelPath` = its parent, model id = its name):
 *   config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json,
 *   onnx/model.onnx (fp32), onnx/model_quantized.onnx (int8, transformers.js dtype 'q8')
 * plus topicstream-model.json, a manifest of sizes and sha256 written after a pull.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { isValidModelId, MODEL_ID, modelName, OFFLINE_MODELS } from './catalog.js';

export { MODEL_ID };
/** The default model's folder name. */
export const MODEL_NAME = modelName(MODEL_ID);
/** The models `topicstream model pull` provides without the hub; any other works from the hub or a folder. */
export const SUPPORTED_MODELS: readonly string[] = OFFLINE_MODELS;

/** Whether `id` can name a model (`embedding.model`): a hub-style id, `name` or `owner/name`. */
export function isSupportedModel(id: string): boolean {
  return isValidModelId(id);
}
/** The default model's dimension (another model's is read from its config.json). */
export const EMBEDDING_DIM = 384;
/** The default model's max_seq_length (another model's comes from its sentence-transformers config). */
export const MAX_TOKENS = 256;

export type ModelDtype = 'fp32' | 'q8';
export type PullDtype = ModelDtype | 'both';

export const TOKENIZER_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'] as const;
/** What transformers.js needs besides the ONNX file (special_tokens_map.json is optional). */
export const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
/** sentence-transformers' own files, optional: read for pooling, normalisation and max_seq_length. */
export const ST_FILES = ['modules.json', 'sentence_bert_config.json', '1_Pooling/config.json'] as const;
export const MANIFEST_FILE = 'topicstream-model.json';

export function onnxFile(dtype: ModelDtype): string {
  return dtype === 'fp32' ? 'onnx/model.onnx' : 'onnx/model_quantized.onnx';
}

export function dtypesOf(d: PullDtype): ModelDtype[] {
  return d === 'both' ? ['fp32', 'q8'] : [d];
}

/** The files a folder needs to serve `dtype`. */
export function requiredFiles(dtype: PullDtype): string[] {
  return [...REQUIRED_FILES, ...dtypesOf(dtype).map(onnxFile)];
}

/** `$TOPICSTREAM_CACHE`, else `~/.cache/topicstream`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TOPICSTREAM_CACHE;
  if (fromEnv && fromEnv.trim()) return path.resolve(fromEnv);
  return path.join(os.homedir(), '.cache', 'topicstream');
}

export interface ResolveOptions {
  /** an explicit model folder wins over everything */
  modelDir?: string;
  /** cache root instead of $TOPICSTREAM_CACHE / ~/.cache/topicstream */
  cacheDir?: string;
  /** model id (default all-MiniLM-L6-v2): its folder in the cache is the id's last segment */
  model?: string;
}

/** The model folder: opts.modelDir, else `<cache root>/models/<model name>` (all-MiniLM-L6-v2 by default). */
export function resolveModelDir(opts: ResolveOptions = {}): string {
  if (opts.modelDir) return path.resolve(opts.modelDir);
  return path.join(opts.cacheDir ? path.resolve(opts.cacheDir) : cacheRoot(), 'models', modelName(opts.model ?? MODEL_ID));
}

/** Where downloaded archives are kept so a second pull (another dtype) needs no network. */
export function downloadsDir(opts: ResolveOptions = {}): string {
  return path.join(opts.cacheDir ? path.resolve(opts.cacheDir) : cacheRoot(), 'downloads');
}

export interface ManifestEntry {
  size: number;
  sha256: string;
}

export interface Manifest {
  source: string;
  createdAt: string;
  files: Record<string, ManifestEntry>;
}

export function readManifest(dir: string): Manifest | undefined {
  const p = path.join(dir, MANIFEST_FILE);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * Whether `dir` holds every file `dtype` needs, each non-empty and, where the manifest lists it,
 * of the recorded size (a cheap check, run at every start; a truncated download or an
 * interrupted conversion fails it). `verifyModel` also checks the sha256 digests.
 */
export function isModelPresent(dir: string, dtype: PullDtype): boolean {
  return missingFiles(dir, dtype).length === 0;
}

/** The files `dtype` needs that are absent, empty or of the wrong size. */
export function missingFiles(dir: string, dtype: PullDtype): string[] {
  const manifest = readManifest(dir);
  const missing: string[] = [];
  for (const f of requiredFiles(dtype)) {
    const p = path.join(dir, f);
    let size: number;
    try {
      size = statSync(p).size;
    } catch {
      missing.push(f);
      continue;
    }
    const expected = manifest?.files[f]?.size;
    if (size === 0 || (expected !== undefined && expected !== size)) missing.push(f);
  }
  return missing;
}
