/**
 * The embedding worker thread: loads the tokenizer and the ONNX session once (local files only),
 * then turns each batch of texts it is sent into normalised sentence vectors.
 *
 * Per batch: tokenize each text whole, cut long ones into windows (or truncate), run the windows
 * through the model in length-sorted sub-batches, mean-pool and normalise each window, and combine
 * a text's windows by their token-weighted mean.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { env, AutoModel, AutoTokenizer, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { toWindows } from './text/windows.js';
import { batchTensors, planBatches, type PlannedWindow } from './worker/batchPlan.js';
import { addScaledAt, meanPoolNormalize, normalizeAt } from './worker/pooling.js';
import type { FromWorker, ToWorker, WorkerConfig } from './worker/protocol.js';

const config = workerData as WorkerConfig;
const port = parentPort!;

function send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

async function load(): Promise<{ tokenizer: PreTrainedTokenizer; model: PreTrainedModel; dim: number; cls: number; sep: number }> {
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
  const cls = tokenizer.encode('')[0]!;
  const sep = tokenizer.encode('')[1]!;
  return { tokenizer, model, dim, cls, sep };
}

async function main(): Promise<void> {
  let m: Awaited<ReturnType<typeof load>>;
  try {
    m = await load();
  } catch (e) {
    send({ type: 'error', message: `loading the model from ${config.modelDir} failed: ${(e as Error).message}` });
    return;
  }
  const { tokenizer, model, dim } = m;
  const windowOpts = { maxTokens: config.maxTokens, mode: config.longText, maxWindows: config.maxWindows, clsId: m.cls, sepId: m.sep };
  let pooled = new Float32Array(config.batchSize * dim);

  async function embed(texts: string[]): Promise<{ data: Float32Array; windows: number; tokens: number }> {
    const windows: PlannedWindow[] = [];
    for (let t = 0; t < texts.length; t++) {
      for (const w of toWindows(tokenizer.encode(texts[t]!), windowOpts)) windows.push({ ...w, text: t });
    }
    const weightSum = new Float32Array(texts.length);
    for (const w of windows) weightSum[w.text]! += w.weight;
    const out = new Float32Array(texts.length * dim);
    let tokens = 0;
    for (const b of planBatches(windows, config.batchSize)) {
      const x = batchTensors(b);
      const n = b.windows.length;
      const dims = [n, b.seq];
      const res = (await model({
        input_ids: new Tensor('int64', x.inputIds, dims),
        attention_mask: new Tensor('int64', x.attentionMask, dims),
        token_type_ids: new Tensor('int64', x.tokenTypeIds, dims),
      })) as { last_hidden_state: Tensor };
      const hidden = res.last_hidden_state;
      if (pooled.length < n * dim) pooled = new Float32Array(n * dim);
      meanPoolNormalize(hidden.data as Float32Array, x.lengths, b.seq, dim, pooled);
      hidden.dispose();
      for (let r = 0; r < n; r++) {
        const w = b.windows[r]!;
        addScaledAt(out, w.text * dim, pooled, r * dim, w.weight / weightSum[w.text]!, dim);
        tokens += w.ids.length;
      }
    }
    // A single-window text is already unit length; a chunked one is a mean of unit vectors.
    for (let t = 0; t < texts.length; t++) normalizeAt(out, t * dim, dim);
    return { data: out, windows: windows.length, tokens };
  }

  // One request at a time, in arrival order: onnxruntime already uses this worker's threads.
  let chain = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    chain = chain.then(async () => {
      try {
        const r = await embed(msg.texts);
        send({ type: 'result', id: msg.id, ...r }, [r.data.buffer as ArrayBuffer]);
      } catch (e) {
        send({ type: 'error', id: msg.id, message: (e as Error).message });
      }
    });
  });
  send({ type: 'ready', dim });
}

void main();
