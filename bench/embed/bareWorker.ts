// A bare onnxruntime-node InferenceSession in a worker thread (bench/embed/embedderVsBare.ts):
// runs pre-built, padded batches taken from a shared counter (longest first), nothing else.
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import path from 'node:path';
import type { Tensor } from '@huggingface/transformers';

export interface BareBatch {
  n: number;
  seq: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

export interface BareWorkerData {
  modelPath: string;
  threads: number;
  batches: BareBatch[];
  /** Int32Array(1) over a SharedArrayBuffer: the next batch to run */
  next: SharedArrayBuffer;
  /** diagnostic: load and run the session through transformers.js' AutoModel, as the embedder does */
  viaTransformers?: { modelDir: string; dtype: string };
}

const d = workerData as BareWorkerData;
const spin = process.env.BARE_SPIN; // diagnostic: '0' turns onnxruntime's intra-op spinning off
const sessionOptions = { intraOpNumThreads: d.threads, interOpNumThreads: 1, ...(spin !== undefined ? { extra: { session: { intra_op: { allow_spinning: spin } } } } : {}) };
const session = d.viaTransformers ? undefined : await ort.InferenceSession.create(d.modelPath, sessionOptions);
// transformers.js only on its diagnostic path: the bare session loads nothing else
const via = d.viaTransformers ? await loadViaTransformers(d.viaTransformers) : undefined;
const typeIds = session ? session.inputNames.includes('token_type_ids') : true;
const next = new Int32Array(d.next);

async function loadViaTransformers(v: { modelDir: string; dtype: string }) {
  const { env, AutoModel, Tensor } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(v.modelDir);
  return { model: await AutoModel.from_pretrained(path.basename(v.modelDir), { dtype: v.dtype as 'q8', session_options: sessionOptions }), Tensor };
}

async function run(b: BareBatch): Promise<void> {
  const dims = [b.n, b.seq];
  if (via) {
    const { model, Tensor: T } = via;
    const inputs: Record<string, Tensor> = {
      input_ids: new T('int64', b.inputIds, dims),
      attention_mask: new T('int64', b.attentionMask, dims),
      token_type_ids: new T('int64', b.tokenTypeIds, dims),
    };
    const out = (await model(inputs)) as { last_hidden_state: { dispose(): void } };
    out.last_hidden_state.dispose();
    return;
  }
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', b.inputIds, dims),
    attention_mask: new ort.Tensor('int64', b.attentionMask, dims),
  };
  if (typeIds) feeds.token_type_ids = new ort.Tensor('int64', b.tokenTypeIds, dims);
  await session!.run(feeds);
}

// warm-up: the shortest batch, then wait for the start signal
await run(d.batches[d.batches.length - 1]!);
parentPort!.postMessage({ ready: true });
parentPort!.once('message', async () => {
  let cpu = process.cpuUsage();
  let runs = 0;
  for (let i = Atomics.add(next, 0, 1); i < d.batches.length; i = Atomics.add(next, 0, 1)) {
    await run(d.batches[i]!);
    runs++;
  }
  cpu = process.cpuUsage(cpu);
  parentPort!.postMessage({ done: true, runs });
});
