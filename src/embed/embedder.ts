/**
 * The sentence embedder: a sentence-transformers model (all-MiniLM-L6-v2 by default) through
 * transformers.js (onnxruntime-node), run in worker threads so the caller's event loop (Kafka
 * consumer, HTTP server) never blocks on it. What the model folder holds (architecture, pooling,
 * max tokens) is read and checked before the workers start (model/modelInfo.ts).
 *
 * `embed(texts)` tokenises the texts on this thread (text/tokenizer.ts) and hands batches of
 * windows of near-equal length to the workers, longest first (embedWith). The rows come back in
 * the input order. Empty strings are embedded as is (the [CLS][SEP] sequence), as
 * sentence-transformers does; they get a valid unit vector.
 *
 * The workers are supervised (core/workers; each holds its next batch): a batch has a deadline
 * (`timeoutSeconds`), a worker that hangs or dies fails the batch it ran and is replaced, at most
 * `maxRestartsPerMinute` times a minute; `priority: 'low'` batches (searches) wait behind the rest.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatrix, type Embedder, type EmbedPriority, type Matrix, type Progress } from '../core/types.js';
import { describePoolEvent, type WorkerPoolEvent } from '../core/workers/events.js';
import { WorkerPool } from '../core/workers/workerPool.js';
import { isModelPresent, isSupportedModel, missingFiles, MODEL_ID, resolveModelDir, type ModelDtype } from './model/modelFiles.js';
import { canConvertLocally, convertLocalCheckpoint } from './model/localConvert.js';
import { readModelInfo, type ModelInfo } from './model/modelInfo.js';
import { pullModel, type PullOptions } from './model/pull.js';
import { testHookEnabled } from '../core/workers/testHooks.js';
import { loadTokenizer } from './text/tokenizer.js';
import { embeddableTokens, encodeEmbeddable, toWindows, type LongTextMode, type WindowOptions } from './text/windows.js';
import { batchSizeFor, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS, planBatches, textChunks, type PlannedWindow } from './worker/batchPlan.js';
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
  /** windows per forward pass, i.e. per worker request (default 8) */
  batchSize?: number;
  /** at most this many tokens, padding included, per forward pass (default 512; fewer windows when they are long) */
  batchTokens?: number;
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

export { DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS };
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
  const batchTokens = opts.batchTokens ?? DEFAULT_BATCH_TOKENS;
  if (!(workers >= 1) || !(threads >= 1) || !(batchSize >= 1) || !(batchTokens >= 1)) throw new Error('createEmbedder: workers, threadsPerWorker, batchSize and batchTokens must be >= 1');
  const tok = await loadTokenizer(modelDir);
  const windowOpts: WindowOptions = { maxTokens: info.maxTokens, mode: opts.longText ?? 'chunk', maxWindows: opts.maxWindows ?? DEFAULT_MAX_WINDOWS, clsId: tok.cls, sepId: tok.sep };
  const workerConfig: WorkerConfig = { modelDir, dtype, threads, pad: tok.pad, pooling: info.pooling };
  log(`embedding model ${model} (${info.modelType}, ${info.hiddenSize}-d, ${info.pooling} pooling, ${info.maxTokens} tokens; settings from ${info.settingsFrom}; ${tok.kind} tokenizer) in ${modelDir}`);
  const pool = new WorkerPool<EmbedRequest, EmbedResult, WorkerInfo>({
    name: 'embedding worker',
    script: workerScript(),
    workerData: workerConfig,
    size: workers,
    jobsPerWorker: 2, // a worker finds its next batch waiting when it answers one
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
    embed: embedWith({ pool, dim, batchSize, batchTokens, workers, windowOpts, totals, cap: embeddableTokens(windowOpts), encode: (s) => tok.encode(s), hooked: testHookEnabled('crash-embed') }),
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
 * them to the workers in batches of `batchSize` windows (fewer when long: `batchTokens`), longest
 * first (the long ones finish while short ones fill the gaps), one forward pass each: a
 * batch holds windows of near-equal length, so little of it is padding (tokeniseAndSend). A text's
 * windows are combined (token-weighted mean of their unit vectors) as their batches come back
 * (addBatch); rows are in input order. Low priority (searches) waits behind every normal batch
 * (ingestion) in the pool's queue.
 */
function embedWith(ctx: EmbedContext): Embedder['embed'] {
  return async (texts, onProgress, priority = 'normal') => {
    const n = texts.length;
    const out = createMatrix(n, ctx.dim);
    if (n === 0) return out;
    for (let i = 0; i < n; i++) {
      if (typeof texts[i] !== 'string') throw new TypeError(`embed: text ${i} is ${typeof texts[i]}, not a string`);
    }
    const call: EmbedCall = { texts, out, weightSum: new Float64Array(n), pending: new Int32Array(n), done: 0, failed: false, jobs: [], onProgress, priority };
    onProgress?.(0, n);
    await tokeniseAndSend(ctx, call);
    await Promise.all(call.jobs);
    ctx.totals.texts += n;
    return out;
  };
}

/** What every embed call of one embedder shares (cap: embeddableTokens; hooked: the crash-embed test hook, batches carry their texts). */
interface EmbedContext {
  pool: WorkerPool<EmbedRequest, EmbedResult, WorkerInfo>;
  dim: number;
  batchSize: number;
  batchTokens: number;
  workers: number;
  windowOpts: WindowOptions;
  totals: EmbedStats;
  cap: number;
  encode: (s: string) => ArrayLike<number>;
  hooked: boolean;
}

/** One call: its rows (summed as batches come back), per text the window weights and the windows still out. */
interface EmbedCall {
  texts: readonly string[];
  out: Matrix;
  weightSum: Float64Array;
  pending: Int32Array;
  done: number;
  failed: boolean;
  jobs: Promise<void>[];
  onProgress: Progress | undefined;
  priority: EmbedPriority;
}

/** Tokenises the texts chunk by chunk and sends each chunk's batches: the workers start on the first (small) chunk's while the rest is tokenised. */
async function tokeniseAndSend(ctx: EmbedContext, call: EmbedCall): Promise<void> {
  const clock = { lastYield: performance.now() };
  for (const [from, to] of textChunks(call.texts.length, ctx.batchSize, ctx.workers)) {
    if (call.failed) break;
    const windows = await windowsOf(ctx, call, from, to, clock);
    ctx.totals.windows += windows.length;
    for (const b of planBatches(windows, batchSizeFor(windows.length, ctx.batchSize, ctx.workers), ctx.batchTokens)) sendBatch(ctx, call, b.windows);
  }
}

/** The windows of texts [from, to), counted into the call's weights and pending windows; yields to the event loop every YIELD_MS. */
async function windowsOf(ctx: EmbedContext, call: EmbedCall, from: number, to: number, clock: { lastYield: number }): Promise<PlannedWindow[]> {
  const windows: PlannedWindow[] = [];
  let t0 = performance.now();
  for (let t = from; t < to; t++) {
    for (const w of toWindows(encodeEmbeddable(call.texts[t]!, ctx.cap, ctx.encode), ctx.windowOpts)) {
      windows.push({ ids: w.ids, weight: w.weight, text: t });
      call.weightSum[t]! += w.weight;
      call.pending[t]!++;
      ctx.totals.tokens += w.ids.length;
    }
    if ((t & 15) === 15 && performance.now() - clock.lastYield > YIELD_MS) {
      ctx.totals.tokenizeMs += performance.now() - t0;
      await new Promise<void>((resolve) => setImmediate(resolve));
      clock.lastYield = t0 = performance.now();
    }
  }
  ctx.totals.tokenizeMs += performance.now() - t0;
  return windows;
}

/** Sends one batch (one forward pass) to the pool; its rows are added to the call's as it comes back. */
function sendBatch(ctx: EmbedContext, call: EmbedCall, ws: PlannedWindow[]): void {
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
  if (ctx.hooked) req.hookTexts = ws.map((w) => call.texts[w.text]!);
  ctx.totals.paddedTokens += ws.length * ws[0]!.ids.length;
  const job = ctx.pool.run(req, { priority: call.priority, transfer: [ids.buffer, lengths.buffer] }).then((r) => addBatch(ctx, call, ws, r));
  job.catch(() => {
    call.failed = true;
  });
  call.jobs.push(job);
}

/** Adds a batch's rows to their texts' (token-weighted), normalising each text whose last window this was. */
function addBatch(ctx: EmbedContext, call: EmbedCall, ws: PlannedWindow[], r: EmbedResult): void {
  const { dim, totals } = ctx;
  const { data: out } = call.out;
  const { weightSum, pending } = call;
  let finished = 0;
  for (let k = 0; k < ws.length; k++) {
    const { text, weight } = ws[k]!;
    addScaledAt(out, text * dim, r.data, k * dim, weight / weightSum[text]!, dim);
    if (--pending[text] === 0) {
      normalizeAt(out, text * dim, dim);
      finished++;
    }
  }
  totals.forwardMs += r.forwardMs;
  totals.poolMs += r.poolMs;
  if (finished > 0) {
    call.done += finished;
    call.onProgress?.(call.done, call.texts.length);
  }
}

/** The tokenising yields to the event loop after this many milliseconds. */
const YIELD_MS = 8;

/** The worker script beside this module: embedWorker.js in dist/, or embedWorker.ts run from sources by a TypeScript loader. */
function workerScript(): URL {
  const js = new URL('./embedWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  const ts = new URL('./embedWorker.ts', import.meta.url);
  return existsSync(fileURLToPath(ts)) ? ts : js;
}
