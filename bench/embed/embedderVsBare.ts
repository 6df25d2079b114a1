// The embedder end to end against a bare onnxruntime-node session on the same tokens (issue 12).
//   node dist/bench/embed/embedderVsBare.js [--docs 2000] [--dtype fp32|q8|both] [--corpus tweets|20ng|both] [--rounds 1]
// For each corpus and dtype, on the same texts:
//  (a) bare: the texts tokenised first (not timed; 20 Newsgroups truncated at the model's 256
//      tokens), windows sorted by length, batches as the embedder plans them (embedding.batchSize
//      windows, at most embedding.batchTokens tokens), padded int64 tensors built beforehand; an
//      onnxruntime-node InferenceSession (the one transformers.js loads) on onnx/model(_quantized).onnx
//      in worker threads, batches taken longest first from a shared counter: 1 session × 2
//      intra-op threads and 2 sessions × 1 thread; "bare" = the faster;
//  (b) the embedder end to end: createEmbedder with the config's defaults (20 Newsgroups in
//      truncate mode), after a warm-up, `embed(texts)` timed;
//  (c) the tokenizer alone on the main thread (encodeEmbeddable, as the worker calls it): docs/s, tokens/s.
//  --before <build>/src/embed/embedder.js also times another build's embedder in the same rounds.
//  --diag adds: bare 1x2 / 2x1 / 2x2, bare through transformers.js' AutoModel, bare on the embedder's
//  batches; env BARE_BATCH=n sets the batch size, BARE_SPIN=0|1 onnxruntime's intra-op spinning.
// Writes bench/embed/results/embedderVsBare-<date>.json (machine, load average, commit, ratios).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { embeddingSchema } from '../../src/config/schema.js';
import { createEmbedder } from '../../src/embed/embedder.js';
import { onnxFile, resolveModelDir, type ModelDtype } from '../../src/embed/model/modelFiles.js';
import { readModelInfo } from '../../src/embed/model/modelInfo.js';
import { embeddableTokens, encodeEmbeddable, toWindows, type LongTextMode, type WindowOptions } from '../../src/embed/text/windows.js';
import { batchSizeFor, batchTensors, planBatches, textChunks, type PlannedWindow } from '../../src/embed/worker/batchPlan.js';
import { createWordPieceTokenizer } from '../../src/embed/text/wordPiece.js';
import { SHARED_DATA, ROOT } from '../../test/helpers/paths.js';
import { machineInfo } from '../stream/machine.js';
import type { BareBatch, BareWorkerData } from './bareWorker.js';
import { mkdirSync, writeFileSync } from 'node:fs';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '2000' },
    dtype: { type: 'string', default: 'both' },
    corpus: { type: 'string', default: 'both' },
    rounds: { type: 'string', default: '1' },
    out: { type: 'string' },
    diag: { type: 'boolean', default: false },
    /** another build's embedder.js (e.g. of the commit before), timed in the same rounds */
    before: { type: 'string' },
  },
});
const N = Number(values.docs);
const ROUNDS = Number(values.rounds);
const dtypes: ModelDtype[] = values.dtype === 'both' ? ['fp32', 'q8'] : [values.dtype as ModelDtype];
const corpora = values.corpus === 'both' ? ['tweets', '20ng'] : [values.corpus!];
const defaults = embeddingSchema.parse({});
const BATCH = Number(process.env.BARE_BATCH ?? defaults.batchSize); // BARE_BATCH: diagnostic
const BATCH_TOKENS = defaults.batchTokens;
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

async function texts(corpus: string): Promise<string[]> {
  const file = corpus === 'tweets' ? 'trump_tweets_2009_2019.jsonl.gz' : '20newsgroups_bydate.jsonl.gz';
  const lines = gunzipSync(readFileSync(path.join(SHARED_DATA, file))).toString('utf8').split('\n').filter(Boolean);
  // tweets: the first N non-empty (as bench/stream reads them); 20 Newsgroups: every k-th body across the file
  if (corpus === 'tweets') return lines.map((l) => (JSON.parse(l) as { text: string }).text).filter((t) => typeof t === 'string' && t.trim() !== '').slice(0, N);
  const stride = Math.max(1, Math.floor(lines.length / N));
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < N; i += stride) out.push((JSON.parse(lines[i]!) as { body: string }).body);
  return out;
}

const modelDir = resolveModelDir({ model: defaults.model });
const info = readModelInfo(modelDir, 'fp32', defaults.model);
env.allowRemoteModels = false;
env.localModelPath = path.dirname(modelDir);
const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir));
const fast = createWordPieceTokenizer(path.join(modelDir, 'tokenizer.json'), path.join(modelDir, 'tokenizer_config.json'))!;

function windowOpts(mode: LongTextMode): WindowOptions {
  const empty = tokenizer.encode('');
  return { maxTokens: info.maxTokens, mode, maxWindows: 8, clsId: empty[0]!, sepId: empty[1]! };
}

/** The tokenizer alone: encodeEmbeddable over every text, as the worker calls it. */
function timeTokenizer(all: string[], o: WindowOptions, encode: (s: string) => ArrayLike<number>) {
  const cap = embeddableTokens(o);
  const t0 = performance.now();
  let tokens = 0;
  for (const s of all) tokens += encodeEmbeddable(s, cap, encode).length;
  const sec = (performance.now() - t0) / 1000;
  return { seconds: r3(sec), docsPerSec: r1(all.length / sec), tokensPerSec: Math.round(tokens / sec), tokens, load: load() };
}

/** Diagnostic: the batches the embedder forms (its chunks of texts, textChunks; windows sorted within a chunk). */
function embedderBatches(all: string[], o: WindowOptions): BareBatch[] {
  const cap = embeddableTokens(o);
  const workers = os.availableParallelism();
  const out: BareBatch[] = [];
  for (const [from, to] of textChunks(all.length, BATCH, workers)) {
    const windows: PlannedWindow[] = [];
    for (let t = from; t < to; t++) for (const w of toWindows(encodeEmbeddable(all[t]!, cap, (x) => tokenizer.encode(x)), o)) windows.push({ ...w, text: t });
    for (const b of planBatches(windows, batchSizeFor(windows.length, BATCH, workers), BATCH_TOKENS)) {
      const x = batchTensors(b, 0);
      out.push({ n: b.windows.length, seq: b.seq, inputIds: x.inputIds, attentionMask: x.attentionMask, tokenTypeIds: x.tokenTypeIds });
    }
  }
  return out;
}

function bareBatches(all: string[], o: WindowOptions): { batches: BareBatch[]; windows: number; tokens: number; paddedTokens: number } {
  const cap = embeddableTokens(o);
  const windows: PlannedWindow[] = [];
  all.forEach((s, t) => {
    for (const w of toWindows(encodeEmbeddable(s, cap, (x) => tokenizer.encode(x)), o)) windows.push({ ...w, text: t });
  });
  const batches = planBatches(windows, BATCH, BATCH_TOKENS).map((b) => {
    const x = batchTensors(b, 0);
    return { n: b.windows.length, seq: b.seq, inputIds: x.inputIds, attentionMask: x.attentionMask, tokenTypeIds: x.tokenTypeIds };
  });
  const tokens = windows.reduce((a, w) => a + w.ids.length, 0);
  return { batches, windows: windows.length, tokens, paddedTokens: batches.reduce((a, b) => a + b.n * b.seq, 0) };
}

let lastCpu = 0;
async function timeBare(batches: BareBatch[], dtype: ModelDtype, sessions: number, threads: number, viaTransformers = false): Promise<number> {
  const next = new SharedArrayBuffer(4);
  const data: BareWorkerData = { modelPath: path.join(modelDir, onnxFile(dtype)), threads, batches, next, ...(viaTransformers ? { viaTransformers: { modelDir, dtype } } : {}) };
  const workers = Array.from({ length: sessions }, () => new Worker(new URL('./bareWorker.js', import.meta.url), { workerData: data }));
  await Promise.all(workers.map((w) => new Promise((res, rej) => { w.once('message', res); w.once('error', rej); })));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(workers.map((w) => { const done = new Promise((res, rej) => { w.once('message', res); w.once('error', rej); }); w.postMessage('go'); return done; }));
  const sec = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  lastCpu = (c.user + c.system) / 1e6;
  await Promise.all(workers.map((w) => w.terminate()));
  return sec;
}

async function timeEmbedder(all: string[], dtype: ModelDtype, mode: LongTextMode, module?: string): Promise<{ seconds: number; stats: unknown }> {
  const create = module ? ((await import(module)) as { createEmbedder: typeof createEmbedder }).createEmbedder : createEmbedder;
  const e = await create({ model: defaults.model, dtype, longText: mode, workers: defaults.workers, threadsPerWorker: defaults.threadsPerWorker, batchSize: BATCH, batchTokens: BATCH_TOKENS });
  try {
    await e.embed(all.slice(0, 64));
    const before = e.stats();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await e.embed(all);
    const sec = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    lastCpu = (c.user + c.system) / 1e6;
    const after = e.stats() as unknown as Record<string, number>;
    const diff: Record<string, number> = {};
    for (const k of Object.keys(after)) diff[k] = r1(after[k]! - ((before as unknown as Record<string, number>)[k] ?? 0));
    return { seconds: sec, stats: diff };
  } finally {
    await e.close();
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const machine = machineInfo();
log(`load ${machine.loadavg.join(' ')}, commit ${machine.commit}, ${os.availableParallelism()} cores`);
const results: unknown[] = [];
for (const corpus of corpora) {
  const all = await texts(corpus);
  const mode: LongTextMode = corpus === '20ng' ? 'truncate' : defaults.longText;
  const o = windowOpts(mode);
  const tok = timeTokenizer(all, o, (s) => tokenizer.encode(s));
  const tokFast = timeTokenizer(all, o, (s) => fast.encode(s));
  log(`${corpus}: ${all.length} docs; tokenizer alone ${tok.docsPerSec} docs/s ${tok.tokensPerSec} tokens/s (wordpiece ${tokFast.docsPerSec} docs/s)`);
  const bb = bareBatches(all, o);
  for (const dtype of dtypes) {
    const rounds: Array<Record<string, unknown>> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const l0 = load();
      const b12 = await timeBare(bb.batches, dtype, 1, 2);
      const cpu12 = lastCpu;
      const b21 = await timeBare(bb.batches, dtype, 2, 1);
      const cpu21 = lastCpu;
      const emb = await timeEmbedder(all, dtype, mode);
      const cpuEmb = lastCpu;
      const old = values.before ? await timeEmbedder(all, dtype, mode, path.resolve(values.before)) : undefined;
      const cpuOld = lastCpu;
      if (values.diag) {
        for (const [ss, th] of [[1, 2], [2, 1], [2, 2]] as const) {
          const t = await timeBare(bb.batches, dtype, ss, th);
          log(`diag: bare ${ss}x${th} spin=${process.env.BARE_SPIN ?? 'default'}: ${r1(all.length / t)} docs/s, cpu ${r3(lastCpu)} s`);
        }
        const bt = await timeBare(bb.batches, dtype, 2, 1, true);
        log(`diag: 2x1 through transformers.js' AutoModel on the bare batches: ${r1(all.length / bt)} docs/s, cpu ${r3(lastCpu)} s`);
        const cb = embedderBatches(all, o);
        const bc = await timeBare(cb, dtype, 2, 1);
        log(`diag: bare 2x1 on the embedder's batches: ${r1(all.length / bc)} docs/s, cpu ${r3(lastCpu)} s, padded ${cb.reduce((a, b) => a + b.n * b.seq, 0)} vs ${bb.paddedTokens}`);
        const bs = await timeBare([...cb].sort((a, b) => b.seq - a.seq), dtype, 2, 1);
        log(`diag: bare 2x1 on the embedder's batches, all longest first: ${r1(all.length / bs)} docs/s, cpu ${r3(lastCpu)} s`);
      }
      const bare = Math.min(b12, b21);
      const row = {
        loadBefore: l0,
        loadAfter: load(),
        bare1x2DocsPerSec: r1(all.length / b12),
        bare2x1DocsPerSec: r1(all.length / b21),
        bareDocsPerSec: r1(all.length / bare),
        bareLayout: b12 <= b21 ? '1x2' : '2x1',
        embedderDocsPerSec: r1(all.length / emb.seconds),
        ratio: r3(bare / emb.seconds),
        cpuSeconds: { bare1x2: r3(cpu12), bare2x1: r3(cpu21), embedder: r3(cpuEmb), ...(old ? { before: r3(cpuOld) } : {}) },
        ...(old ? { beforeDocsPerSec: r1(all.length / old.seconds), beforeRatio: r3(bare / old.seconds) } : {}),
        embedderStats: emb.stats,
      };
      log(`bare padded tokens ${bb.paddedTokens}`);
      log(`${corpus} ${dtype} round ${r + 1}: bare 1x2 ${row.bare1x2DocsPerSec}, 2x1 ${row.bare2x1DocsPerSec}, embedder ${row.embedderDocsPerSec} docs/s → ratio ${row.ratio}${old ? ` (before: ${row.beforeDocsPerSec} docs/s, ratio ${row.beforeRatio})` : ''}; cpu s ${JSON.stringify(row.cpuSeconds)} ${JSON.stringify(emb.stats)} (load ${l0.join(' ')})`);
      rounds.push(row);
    }
    results.push({
      corpus,
      dtype,
      docs: all.length,
      longText: mode,
      windows: bb.windows,
      tokens: bb.tokens,
      paddedTokens: bb.paddedTokens,
      tokenizer: { transformersJs: tok, wordPiece: tokFast },
      ratio: median(rounds.map((x) => x.ratio as number)),
      ...(values.before ? { beforeRatio: median(rounds.map((x) => x.beforeRatio as number)) } : {}),
      rounds,
    });
  }
}
const out = { bench: 'embedderVsBare', machine, loadAfter: load(), config: { batchSize: BATCH, batchTokens: BATCH_TOKENS, workers: defaults.workers, threadsPerWorker: defaults.threadsPerWorker, model: defaults.model }, results };
const dir = path.join(ROOT, 'bench', 'embed', 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, values.out ?? `embedderVsBare-${machine.date.slice(0, 19).replace(/:/g, '')}.json`);
writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
log(`wrote ${file}`);
