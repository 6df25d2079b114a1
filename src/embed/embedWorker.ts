/**
 * The embedding worker thread: loads the ONNX session once (local files only, through
 * transformers.js' AutoModel), then runs each batch it is sent through the model.
 *
 * A batch is one forward pass: windows the main thread has already tokenised, cut and sorted by
 * length (embedder.ts), as flat token ids and lengths. The worker pads them into int64 tensors
 * (buffers reused from batch to batch: no allocation per token), runs the model, pools each window
 * (mean, CLS or max, as the model's sentence-transformers config says) and normalises it; the
 * main thread combines a text's windows.
 */
import path from 'node:path';
import { env, AutoModel, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { nativeSection } from '../core/workers/nativeSection.js';
import { serveJobs, withTransfer, workerInput } from '../core/workers/serve.js';
import { crashEmbedIfHooked } from '../core/workers/testHooks.js';
import { PaddedBatch } from './worker/batchPlan.js';
import { poolNormalize } from './worker/pooling.js';
import type { EmbedRequest, EmbedResult, WorkerConfig, WorkerInfo } from './worker/protocol.js';

const config = workerInput<WorkerConfig>();

type Loaded = { model: PreTrainedModel; dim: number; typeIds: boolean };

async function load(): Promise<Loaded> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(config.modelDir);
  const id = path.basename(config.modelDir);
  const model = await AutoModel.from_pretrained(id, {
    dtype: config.dtype,
    session_options: { intraOpNumThreads: config.threads, interOpNumThreads: 1 },
  });
  const dim = (model.config as unknown as { hidden_size: number }).hidden_size;
  // Some encoders (DistilBERT, RoBERTa exports) take no token_type_ids: don't pass what the graph lacks.
  const inputNames = (model as unknown as { sessions?: { model?: { inputNames?: string[] } } }).sessions?.model?.inputNames;
  const typeIds = inputNames ? inputNames.includes('token_type_ids') : true;
  return { model, dim, typeIds };
}

function createEmbed(m: Loaded): (req: EmbedRequest) => Promise<EmbedResult> {
  const padded = new PaddedBatch(config.pad);
  // A job is one forward pass: no progress heartbeat (the job's deadline runs from its start to its result).
  return async (req) => {
    const x = padded.fill(req.ids, req.lengths);
    const n = req.lengths.length;
    const dims = [n, x.seq];
    const inputs: Record<string, Tensor> = {
      input_ids: new Tensor('int64', x.inputIds, dims),
      attention_mask: new Tensor('int64', x.attentionMask, dims),
    };
    if (m.typeIds) inputs.token_type_ids = new Tensor('int64', x.tokenTypeIds, dims);
    const f0 = performance.now();
    // terminating the thread inside onnxruntime would abort the process: see nativeSection.ts
    const res = (await nativeSection(() => m.model(inputs))) as { last_hidden_state?: Tensor; token_embeddings?: Tensor };
    const f1 = performance.now();
    if (req.hookTexts) crashEmbedIfHooked(req.hookTexts);
    const hidden = res.last_hidden_state ?? res.token_embeddings;
    if (!hidden) throw new Error(`the model returned ${Object.keys(res).join(', ')}, not last_hidden_state (token vectors)`);
    const out = new Float32Array(n * m.dim);
    poolNormalize(config.pooling ?? 'mean', hidden.data as Float32Array, req.lengths, x.seq, m.dim, out);
    nativeSection(() => hidden.dispose());
    return { data: out, forwardMs: f1 - f0, poolMs: performance.now() - f1 };
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
    handle: async (req: EmbedRequest) => {
      const r = await embed(req);
      return withTransfer(r, [r.data.buffer as ArrayBuffer]);
    },
  };
}

// Jobs run one at a time, in arrival order: onnxruntime already uses this worker's threads.
serveJobs<EmbedRequest, EmbedResult, WorkerInfo>(setup);
