/**
 * The hand-written BERT ONNX graph against a plain-loop BERT, on a tiny random model: no real model
 * or network needed. Runs the graph with onnxruntime-node (the runtime transformers.js uses).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { buildBertModel } from '../../src/embed/convert/bertGraph.js';
import { readBertWeights } from '../../src/embed/convert/convertBert.js';
import { encodeModel } from '../../src/embed/onnx/onnxProto.js';
import { makeTinyBert, referenceForward, toSafetensors } from './helpers/tinyBert.js';

const tiny = makeTinyBert(7);
const weights = readBertWeights(toSafetensors(tiny), JSON.stringify(tiny.config));
// two right-padded sequences: lengths 6 and 4 ([CLS]=1 … [SEP]=2, pad 0)
const ids = [
  [1, 11, 23, 37, 41, 2],
  [1, 5, 48, 2, 0, 0],
];
const lengths = [6, 4];
const H = 16;

async function run(dtype: 'fp32' | 'q8'): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const bytes = encodeModel(buildBertModel(weights, dtype)).finish();
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual([...session.inputNames].sort(), ['attention_mask', 'input_ids', 'token_type_ids']);
  assert.deepEqual(session.outputNames, ['last_hidden_state']);
  const dims = [2, 6];
  const flat = BigInt64Array.from(ids.flat().map(BigInt));
  const mask = BigInt64Array.from(ids.flatMap((row, r) => row.map((_, t) => BigInt(t < lengths[r]! ? 1 : 0))));
  const out = await session.run({
    input_ids: new ort.Tensor('int64', flat, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(12), dims),
  });
  const t = out.last_hidden_state!;
  await session.release();
  return { data: t.data as Float32Array, dims: t.dims };
}

test('fp32 graph matches a reference BERT forward pass on the unpadded tokens', async () => {
  const { data, dims } = await run('fp32');
  assert.deepEqual(dims, [2, 6, H]);
  const ref = referenceForward(tiny, ids, lengths);
  let maxErr = 0;
  for (let b = 0; b < 2; b++) {
    for (let s = 0; s < lengths[b]!; s++) {
      for (let d = 0; d < H; d++) {
        const i = (b * 6 + s) * H + d;
        maxErr = Math.max(maxErr, Math.abs(data[i]! - ref[i]!));
      }
    }
  }
  assert.ok(maxErr < 1e-4, `max abs error ${maxErr}`);
});

test('q8 graph stays close to fp32 (dynamic int8 quantization)', async () => {
  const a = (await run('fp32')).data;
  const q = (await run('q8')).data;
  for (let b = 0; b < 2; b++) {
    for (let s = 0; s < lengths[b]!; s++) {
      let dot = 0;
      let na = 0;
      let nq = 0;
      for (let d = 0; d < H; d++) {
        const i = (b * 6 + s) * H + d;
        dot += a[i]! * q[i]!;
        na += a[i]! * a[i]!;
        nq += q[i]! * q[i]!;
      }
      const cos = dot / Math.sqrt(na * nq);
      assert.ok(cos > 0.98, `token ${b}/${s}: cosine ${cos}`);
    }
  }
});
