/**
 * The sentence embedder: a sentence-transformers model (all-MiniLM-L6-v2 by default) through
 * transformers.js (onnxruntime-node), run in worker threads so the caller's event loop (Kafka
 * consumer, HTTP server) never blocks on it. What the model folder holds (architecture, pooling,
 * max tokens) is read and checked before the workers start (model/modelInfo.ts).
 *
 * `embed(texts)` tokenises the texts on this thread (the fast WordPiece tokenizer for BERT
 * models, transformers.js' for others: text/tokenizer.ts), sorts their windows by token count,
 * cuts them into batches of `batchSize` windows and hands the batches to the workers longest
 * first (the long ones finish while short ones fill the gaps); a batch is one forward pass of
 * windows of near-equal length. The rows come back in the input order. Empty strings are embedded
 * as is (the [CLS][SEP] sequence), as sentence-transformers does; they get a valid unit vector.
 *
 * The workers are supervised (core/workers): a batch has a deadline (`timeoutSeconds`), a worker
 * that hangs or dies fails the batch it held and is replaced, at most `maxRestartsPerMinute`
 * times a minute; `priority: 'low'` batches (searches) wait behind every normal one.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatrix, type Embedder } from '../core/types.js';
import { describePoolEvent, type WorkerPoolEvent } from '../core/workers/events.js';
import { WorkerPool } from '../core/workers/workerPool.js';
import { isModelPresent, isSupportedModel, missingFiles, MODEL_ID, resolveModelDir, type ModelDtype } from './model/modelFiles.js';
import { canConvertLocally, convertLocalCheckpoint } from './model/localConvert.js';
import { readModelInfo, type ModelInfo } from './model/modelInfo.js';
import { pullModel, type PullOptions } from './model/pull.js';
import { testHookEnabled } from '../core/workers/testHooks.js';
import { loadTokenizer, type EmbedTokenizer } from './text/tokenizer.js';
import { embeddableTokens, encodeEmbeddable, toWindows, type LongTextMode, type WindowOptions } from './text/windows.js';
import { planBatches, type PlannedWindow } from './worker/batchPlan.js';
import { addScaledAt, normalizeAt } from './worker/pooling.js';
import type { EmbedRequest, EmbedResult, WorkerConfig, WorkerInfo } from './worker/protocol.js';

export interface EmbedderOptions {
  /** model id (default sentence-transformers/all-MiniLM-L6-v2): any sentence-transformers model with ONNX weights; becomes `modelId` */
  model?: string;
  /** model folder (default: resolveModelDir(), i.e. the topicstream cache) */
  modelDir?: string;
  /** 'fp32' (default) or 'q8' (int8, dynamic quantization) */
  dtype?: ModelDtype;
  /** worker threads; 'auto' (default) = one per core */
  workers?: number | 'auto';
  /** onnxruntime intra-op threads per worker (default 1) */
  threadsPerWorker?: number;
  /** texts per worker request and windows per forward pass (default 32) */
  batchSize?: number;
  /** posts over 256 tokens: 'chunk' (default, average of windows) or 'truncate' */
  longText?: LongTextMode;
  /** chunk mode: at most this many 256-token windows per text (default 8; the rest is dropped) */
  maxWindows?: number;
  /** a batch not embedded within this many seconds fails and its worker is replaced (default 60) */
  timeoutSeconds?: number;
  /** crashed or hung workers are replaced at most this many times a minute (default 6); beyond, batches fail until the minute passes */
  maxRestartsPerMinute?: number;
  /** pull the model if it is absent (default true) */
  autoPull?: boolean;
  /** options for that pull (progress, log, sources, indexes) */
  pull?: Omit<PullOptions, 'modelDir' | 'dtype'>;
  log?: (msg: string) => void;
  /** worker timeouts, deaths and restarts (default: a line to `log`) */
  onWorkerEvent?: (e: WorkerPoolEvent) => void;
}

export interface EmbedStats {
  texts: number;
  windows: number;
  /** tokens of the windows embedded */
  tokens: number;
  /** tokens the model ran, padding included */
  paddedTokens: number;
  /** time tokenising (main thread), in forward passes and in pooling (workers, summed), ms */
  tokenizeMs: number;
  forwardMs: number;
  poolMs: number;
}

export interface TopicstreamEmbedder extends Embedder {
  readonly dtype: ModelDtype;
  readonly workers: number;
  readonly modelDir: string;
  /** what was read from the model folder: architecture, pooling, normalisation, max tokens */
  readonly info: ModelInfo;
  /** running totals since creation */
  stats(): EmbedStats;
}

export const DEFAULT_BATCH_SIZE = 32;
export const DEFAULT_MAX_WINDOWS = 8;
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_RESTARTS_PER_MINUTE = 6;

export async function createEmbedder(opts: EmbedderOptions = {}): Promise<TopicstreamEmbedder> {
  const model = opts.model ?? MODEL_ID;
  if (!isSupportedModel(model)) throw new Error(`embedding model "${model}" is not a model id (name or owner/name: letters, digits, . _ -)`);
  const dtype = opts.dtype ?? 'fp32';
  const modelDir = resolveModelDir({ modelDir: opts.modelDir, model });
  const log = opts.log ?? (() => {});
  await ensureModel(modelDir, dtype, { ...opts, model }, log);
  const info = readModelInfo(modelDir, dtype, model);
  const workers = opts.workers === undefined || opts.workers === 'auto' ? Math.max(1, os.availableParallelism()) : opts.workers;
  const threads = opts.threadsPerWorker ?? 1;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(workers >= 1) || !(threads >= 1) || !(batchSize >= 1)) throw new Error('createEmbedder: workers, threadsPerWorker and batchSize must be >= 1');
  const tok = await loadTokenizer(modelDir);
  const windowOpts: WindowOptions = {
    maxTokens: info.maxTokens,
    mode: opts.longText ?? 'chunk',
    maxWindows: opts.maxWindows ?? DEFAULT_MAX_WINDOWS,
    clsId: tok.cls,
    sepId: tok.sep,
  };
  const workerConfig: WorkerConfig = { modelDir, dtype, threads, pad: tok.pad, pooling: info.pooling };
  log(`embedding model ${model} (${info.modelType}, ${info.hiddenSize}-d, ${info.pooling} pooling, ${info.maxTokens} tokens; settings from ${info.settingsFrom}; ${tok.kind} tokenizer) in ${modelDir}`);
  const pool = new WorkerPool<EmbedRequest, EmbedResult, WorkerInfo>({
    name: 'embedding worker',
    script: workerScript(),
    workerData: workerConfig,
    size: workers,
    timeoutMs: (opts.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    maxRestarts: opts.maxRestartsPerMinute ?? DEFAULT_MAX_RESTARTS_PER_MINUTE,
    onEvent: opts.onWorkerEvent ?? ((e) => log(describePoolEvent(e))),
  });
  // Waits for every worker to finish loading, even when one fails: terminating a worker inside
  // onnxruntime's session setup aborts the whole process.
  const dim = (await pool.start())[0]!.dim;
  const totals: EmbedStats = { texts: 0, windows: 0, tokens: 0, paddedTokens: 0, tokenizeMs: 0, forwardMs: 0, poolMs: 0 };
  return {
    dim,
    modelId: dtype === 'fp32' ? model : `${model}:${dtype}`,
    dtype,
    workers,
    modelDir,
    info,
    embed: embedWith(pool, dim, batchSize, workers, tok, windowOpts, totals),
    stats: () => ({ ...totals }),
    close: () => pool.close(),
  };
}

/** Checks the model folder and pulls the model when it is absent (unless autoPull is false). */
async function ensureModel(modelDir: string, dtype: ModelDtype, opts: EmbedderOptions & { model: string }, log: (msg: string) => void): Promise<void> {
  // transformers.js loads a local model as <env.localModelPath>/<id>; the id must look like one.
  const id = path.basename(modelDir);
  if (!/^[\w.-]+$/.test(id) || id.includes('..') || id.includes('--')) {
    throw new Error(`model folder name "${id}" is not usable as a model id (letters, digits, . _ - only; no "--" or "..")`);
  }
  if (isModelPresent(modelDir, dtype)) return;
  if (canConvertLocally(modelDir, dtype)) {
    convertLocalCheckpoint(modelDir, dtype, log);
    if (isModelPresent(modelDir, dtype)) return;
  }
  if (opts.autoPull === false) {
    throw new Error(`embedding model missing in ${modelDir} (${missingFiles(modelDir, dtype).join(', ')}); run \`topicstream model pull --model ${opts.model}\``);
  }
  log(`embedding model ${opts.model} (${dtype}) not found in ${modelDir}; pulling it`);
  await pullModel({ log, ...opts.pull, modelDir, dtype, model: opts.model });
}

/**
 * `embed(texts, onProgress, priority)`: tokenises the texts on this thread (only what can be
 * embedded, `encodeEmbeddable`), cuts them into windows, sorts the windows by token count and sends
 * them to the workers in batches of `batchSize` windows, longest first, one forward pass each: a
 * batch holds windows of near-equal length, so little of it is padding. Texts are taken in
 * chunks, so the workers start on the first batches while the rest is tokenised; the tokenising
 * yields to the event loop every few milliseconds. A text's windows are combined (token-weighted
 * mean of their unit vectors) as their batches come back; rows are in input order. Low priority
 * (searches) waits behind every normal batch (ingestion) in the pool's queue.
 */
function embedWith(pool: WorkerPool<EmbedRequest, EmbedResult, WorkerInfo>, dim: number, batchSize: number, workers: number, tok: EmbedTokenizer, windowOpts: WindowOptions, totals: EmbedStats): Embedder['embed'] {
  const cap = embeddableTokens(windowOpts);
  const encode = (s: string) => tok.encode(s);
  const hooked = testHookEnabled('crash-embed');
  return async (texts, onProgress, priority = 'normal') => {
    const n = texts.length;
    const out = createMatrix(n, dim);
    if (n === 0) return out;
    for (let i = 0; i < n; i++) {
      if (typeof texts[i] !== 'string') throw new TypeError(`embed: text ${i} is ${typeof texts[i]}, not a string`);
    }
    const weightSum = new Float64Array(n);
    const pending = new Int32Array(n);
    let done = 0;
    let failed = false;
    onProgress?.(0, n);
    const jobs: Promise<void>[] = [];
    const send = (ws: PlannedWindow[]) => {
      let size = 0;
      for (const w of ws) size += w.ids.length;
      const ids = new Int32Array(size);
      const lengths = new Int32Array(ws.length);
      let at = 0;
      ws.forEach((w, r) => {
        ids.set(w.ids, at);
        at += w.ids.length;
        lengths[r] = w.ids.length;
      });
      const req: EmbedRequest = { ids, lengths };
      if (hooked) req.hookTexts = ws.map((w) => texts[w.text]!);
      totals.paddedTokens += ws.length * ws[0]!.ids.length;
      const job = pool.run(req, { priority, transfer: [ids.buffer, lengths.buffer] }).then((r) => {
        let finished = 0;
        ws.forEach((w, k) => {
          addScaledAt(out.data, w.text * dim, r.data, k * dim, w.weight / weightSum[w.text]!, dim);
          if (--pending[w.text] === 0) {
            normalizeAt(out.data, w.text * dim, dim);
            finished++;
          }
        });
        totals.forwardMs += r.forwardMs;
        totals.poolMs += r.poolMs;
        if (finished > 0) {
          done += finished;
          onProgress?.(done, n);
        }
      });
      job.catch(() => {
        failed = true;
      });
      jobs.push(job);
    };
    // small first chunk: the workers start while the rest is tokenised
    let chunk = batchSize * workers;
    let lastYield = performance.now();
    for (let from = 0; from < n && !failed; from += chunk, chunk = Math.max(chunk, batchSize * workers * CHUNK_BATCHES)) {
      const to = Math.min(n, from + chunk);
      const windows: PlannedWindow[] = [];
      let t0 = performance.now();
      for (let t = from; t < to; t++) {
        for (const w of toWindows(encodeEmbeddable(texts[t]!, cap, encode), windowOpts)) {
          windows.push({ ids: w.ids, weight: w.weight, text: t });
          weightSum[t]! += w.weight;
          pending[t]!++;
          totals.tokens += w.ids.length;
        }
        if ((t & 15) === 15 && performance.now() - lastYield > YIELD_MS) {
          totals.tokenizeMs += performance.now() - t0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = t0 = performance.now();
        }
      }
      totals.tokenizeMs += performance.now() - t0;
      totals.windows += windows.length;
      for (const b of planBatches(windows, batchSize)) send(b.windows);
    }
    await Promise.all(jobs);
    totals.texts += n;
    return out;
  };
}

/** Texts per chunk after the first: this many batches per worker (windows are sorted within a chunk). */
const CHUNK_BATCHES = 16;
/** The tokenising yields to the event loop after this many milliseconds. */
const YIELD_MS = 8;

/**
 * The worker script beside this module: embedWorker.js in the compiled tree (dist/), or
 * embedWorker.ts when run from sources by a TypeScript loader.
 */
function workerScript(): URL {
  const js = new URL('./embedWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  const ts = new URL('./embedWorker.ts', import.meta.url);
  return existsSync(fileURLToPath(ts)) ? ts : js;
}
