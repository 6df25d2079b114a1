// A bare onnxruntime-node InferenceSession in a worker thread (bench/embed/embedderVsBare.ts):
// runs pre-built, padded batches taken from a shared counter (longest first), nothing else.
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

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
}

const d = workerData as BareWorkerData;
const session = await ort.InferenceSession.create(d.modelPath, { intraOpNumThreads: d.threads, interOpNumThreads: 1 });
const typeIds = session.inputNames.includes('token_type_ids');
const next = new Int32Array(d.next);

async function run(b: BareBatch): Promise<void> {
  const dims = [b.n, b.seq];
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', b.inputIds, dims),
    attention_mask: new ort.Tensor('int64', b.attentionMask, dims),
  };
  if (typeIds) feeds.token_type_ids = new ort.Tensor('int64', b.tokenTypeIds, dims);
  await session.run(feeds);
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
