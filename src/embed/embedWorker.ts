/**
 * The embedding worker thread: loads the tokenizer and the ONNX session once (local files only),
 * then turns each batch of texts it is sent into normalised sentence vectors.
 *
 * Per batch: tokenize each text (of a long one, only the prefix that can be embedded), cut long
 * ones into windows (or truncate), run the windows
 * through the model in length-sorted sub-batches, pool (mean, CLS or max, as the model's
 * sentence-transformers config says) and normalise each window, and combine
 * a text's windows by their token-weighted mean.
 */
import path from 'node:path';
import { env, AutoModel, AutoTokenizer, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { nativeSection } from '../core/workers/nativeSection.js';
import { serveJobs, withTransfer, workerInput, type JobContext } from '../core/workers/serve.js';
import { crashEmbedIfHooked } from '../core/workers/testHooks.js';
import { embeddableTokens, encodeEmbeddable, toWindows } from './text/windows.js';
import { batchTensors, planBatches, type PlannedWindow } from './worker/batchPlan.js';
import { addScaledAt, normalizeAt, poolNormalize } from './worker/pooling.js';
import type { EmbedRequest, EmbedResult, WorkerConfig, WorkerInfo } from './worker/protocol.js';

const config = workerInput<WorkerConfig>();

type Loaded = { tokenizer: PreTrainedTokenizer; model: PreTrainedModel; dim: number; cls: number; sep: number; pad: number; typeIds: boolean };

async function load(): Promise<Loaded> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(config.modelDir);
  const id = path.basename(config.modelDir);
  const tokenizer = await AutoTokenizer.from_pretrained(id);
  const model = await AutoModel.from_pretrained(id, {
    dtype: config.dtype,
    session_options: { intraOpNumThreads: config.threads, interOpNumThreads: 1 },
  });
  const dim = (model.config as unknown as { hidden_size: number }).hidden_size;
  const empty = tokenizer.encode('');
  if (empty.length !== 2) throw new Error(`the tokenizer wraps a text in ${empty.length} special tokens, not 2 (a start and an end token): unsupported`);
  const pad = (tokenizer as unknown as { pad_token_id?: number }).pad_token_id ?? 0;
  // Some encoders (DistilBERT, RoBERTa exports) take no token_type_ids: don't pass what the graph lacks.
  const inputNames = (model as unknown as { sessions?: { model?: { inputNames?: string[] } } }).sessions?.model?.inputNames;
  const typeIds = inputNames ? inputNames.includes('token_type_ids') : true;
  return { tokenizer, model, dim, cls: empty[0]!, sep: empty[1]!, pad, typeIds };
}

/** One forward pass over a padded sub-batch; writes its pooled (the model's sentence-transformers pooling), normalised rows (n × dim). */
async function forward(m: Loaded, x: ReturnType<typeof batchTensors>, n: number, seq: number, pooled: Float32Array): Promise<void> {
  const dims = [n, seq];
  // terminating the thread inside onnxruntime would abort the process: see nativeSection.ts
  const inputs: Record<string, Tensor> = {
    input_ids: new Tensor('int64', x.inputIds, dims),
    attention_mask: new Tensor('int64', x.attentionMask, dims),
  };
  if (m.typeIds) inputs.token_type_ids = new Tensor('int64', x.tokenTypeIds, dims);
  const res = (await nativeSection(() => m.model(inputs))) as { last_hidden_state?: Tensor; token_embeddings?: Tensor };
  const hidden = res.last_hidden_state ?? res.token_embeddings;
  if (!hidden) throw new Error(`the model returned ${Object.keys(res).join(', ')}, not last_hidden_state (token vectors)`);
  poolNormalize(config.pooling ?? 'mean', hidden.data as Float32Array, x.lengths, seq, m.dim, pooled);
  nativeSection(() => hidden.dispose());
}

function createEmbed(m: Loaded): (texts: string[], ctx?: JobContext) => Promise<EmbedResult> {
  const { tokenizer, dim } = m;
  const windowOpts = { maxTokens: config.maxTokens, mode: config.longText, maxWindows: config.maxWindows, clsId: m.cls, sepId: m.sep };
  let pooled = new Float32Array(config.batchSize * dim);
  const cap = embeddableTokens(windowOpts);
  const encode = (s: string) => tokenizer.encode(s);

  return async (texts, ctx) => {
    const windows: PlannedWindow[] = [];
    for (let t = 0; t < texts.length; t++) {
      for (const w of toWindows(encodeEmbeddable(texts[t]!, cap, encode), windowOpts)) windows.push({ ...w, text: t });
    }
    const weightSum = new Float32Array(texts.length);
    for (const w of windows) weightSum[w.text]! += w.weight;
    const out = new Float32Array(texts.length * dim);
    let tokens = 0;
    for (const b of planBatches(windows, config.batchSize)) {
      const n = b.windows.length;
      if (pooled.length < n * dim) pooled = new Float32Array(n * dim);
      await forward(m, batchTensors(b, m.pad), n, b.seq, pooled);
      // a heartbeat per forward pass: the job's deadline counts from the last one (a slow batch of
      // long posts is not a hung worker)
      ctx?.progress(n);
      crashEmbedIfHooked(texts);
      for (let r = 0; r < n; r++) {
        const w = b.windows[r]!;
        addScaledAt(out, w.text * dim, pooled, r * dim, w.weight / weightSum[w.text]!, dim);
        tokens += w.ids.length;
      }
    }
    // A single-window text is already unit length; a chunked one is a mean of unit vectors.
    for (let t = 0; t < texts.length; t++) normalizeAt(out, t * dim, dim);
    return { data: out, windows: windows.length, tokens };
  };
}

async function setup() {
  let m: Loaded;
  try {
    // onnxruntime's session setup: terminating the thread inside it would abort the process
    m = await nativeSection(load);
  } catch (e) {
    throw new Error(`loading the model from ${config.modelDir} failed: ${(e as Error).message}`);
  }
  const embed = createEmbed(m);
  return {
    info: { dim: m.dim },
    handle: async (req: EmbedRequest, ctx: JobContext) => {
      const r = await embed(req.texts, ctx);
      return withTransfer(r, [r.data.buffer as ArrayBuffer]);
    },
  };
}

// Jobs run one at a time, in arrival order: onnxruntime already uses this worker's threads.
serveJobs<EmbedRequest, EmbedResult, WorkerInfo>(setup);
