/**
 * Bring-your-own models: what the embedder reads from a model folder (architecture, dimension,
 * sentence-transformers pooling / Normalize / max_seq_length) and the errors for folders it cannot
 * run; CLS and max pooling. No real model needed: the folders are written here.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createEmbedder } from '../../src/embed/embedder.js';
import { hubReposFor, isValidModelId } from '../../src/embed/model/catalog.js';
import { resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { readModelInfo } from '../../src/embed/model/modelInfo.js';
import { poolNormalize } from '../../src/embed/worker/pooling.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'topicstream-modelinfo-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, unknown>): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, v] of Object.entries(files)) {
    if (v === undefined) continue;
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), typeof v === 'string' ? v : JSON.stringify(v));
  }
  return dir;
}
const bert = { model_type: 'bert', hidden_size: 768, max_position_embeddings: 512 };
const base = { 'config.json': bert, 'tokenizer.json': '{}', 'tokenizer_config.json': { model_max_length: 512 }, 'onnx/model.onnx': 'x' };
const st = (pooling: string, extra: object[] = []) => ({
  'modules.json': [
    { idx: 0, path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    ...extra,
  ],
  '1_Pooling/config.json': { pooling_mode_cls_token: pooling === 'cls', pooling_mode_mean_tokens: pooling === 'mean', pooling_mode_max_tokens: pooling === 'max' },
  'sentence_bert_config.json': { max_seq_length: 384 },
});

test('pooling, Normalize, max_seq_length and the dimension come from the folder', () => {
  const cls = readModelInfo(folder('cls', { ...base, ...st('cls', [{ idx: 2, path: '2_Normalize', type: 'sentence_transformers.models.Normalize' }]) }), 'fp32');
  assert.deepEqual(cls, { modelType: 'bert', hiddenSize: 768, pooling: 'cls', normalize: true, maxTokens: 384, settingsFrom: 'sentence-transformers' });
  const max = readModelInfo(folder('max', { ...base, ...st('max') }), 'fp32');
  assert.equal(max.pooling, 'max');
  assert.equal(max.normalize, false);
  // no sentence-transformers files: a known model gets its catalog settings, another one mean pooling
  const known = readModelInfo(folder('known', base), 'fp32', 'sentence-transformers/all-MiniLM-L6-v2');
  assert.deepEqual([known.pooling, known.maxTokens, known.settingsFrom], ['mean', 256, 'catalog']);
  const plain = readModelInfo(folder('plain', { ...base, 'config.json': { ...bert, model_type: 'xlm-roberta', max_position_embeddings: 514 }, 'tokenizer_config.json': { model_max_length: 1e30 } }), 'fp32');
  assert.deepEqual([plain.pooling, plain.maxTokens, plain.settingsFrom], ['mean', 512, 'defaults']);
});

test('clear errors for what the embedder cannot run', async () => {
  assert.throws(() => readModelInfo(folder('gpt', { ...base, 'config.json': { model_type: 'gpt2', n_embd: 768 } }), 'fp32'), /model_type "gpt2" is not supported: topicstream runs sentence-transformers encoders of type bert, roberta/);
  assert.throws(() => readModelInfo(folder('noonnx', { ...base, 'onnx/model.onnx': undefined, 'model.safetensors': 'x' }), 'fp32'), /no ONNX weights for fp32 \(onnx\/model\.onnx missing\); the folder has PyTorch weights only/);
  assert.throws(() => readModelInfo(folder('q8only', { ...base, 'onnx/model.onnx': undefined, 'onnx/model_quantized.onnx': 'x' }), 'fp32'), /onnx\/model_quantized\.onnx is there: use embedding\.dtype q8/);
  assert.throws(() => readModelInfo(folder('dense', { ...base, ...st('mean', [{ idx: 2, path: '2_Dense', type: 'sentence_transformers.models.Dense' }]) }), 'fp32'), /module sentence_transformers\.models\.Dense is not supported/);
  const both = folder('both', { ...base, ...st('mean') });
  writeFileSync(path.join(both, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: true }));
  assert.throws(() => readModelInfo(both, 'fp32'), /pooling cls_token \+ mean_tokens is not supported/);
  assert.throws(() => readModelInfo(folder('empty', {}), 'fp32'), /no config\.json/);
  // through createEmbedder, before any worker starts
  await assert.rejects(createEmbedder({ modelDir: path.join(tmp, 'gpt'), autoPull: false }), /model_type "gpt2" is not supported/);
});

test('model ids, their cache folders and hub repositories', () => {
  assert.ok(isValidModelId('BAAI/bge-small-en-v1.5') && isValidModelId('my-model'));
  for (const bad of ['../x', 'a/b/c', '', 'a b', 'x/a--b']) assert.ok(!isValidModelId(bad), bad);
  assert.equal(resolveModelDir({ cacheDir: '/c', model: 'BAAI/bge-small-en-v1.5' }), '/c/models/bge-small-en-v1.5');
  assert.deepEqual(hubReposFor('sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2'), [
    'sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2',
    'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
  ]);
  assert.deepEqual(hubReposFor('BAAI/bge-small-en-v1.5'), ['Xenova/bge-small-en-v1.5', 'BAAI/bge-small-en-v1.5']);
});

test('CLS and max pooling (padding ignored), each row normalised', () => {
  // 2 rows x 3 tokens x 2 dims; row 1 has 2 real tokens
  const hidden = Float32Array.of(3, 4, 0, 1, 9, 9, /* row 1 */ 1, 0, 0, 2, 50, 50);
  const lengths = Int32Array.of(3, 2);
  const out = new Float32Array(4);
  poolNormalize('cls', hidden, lengths, 3, 2, out);
  assert.deepEqual(Array.from(out).map((x) => +x.toFixed(6)), [0.6, 0.8, 1, 0]);
  poolNormalize('max', hidden, lengths, 3, 2, out);
  const n = Math.hypot(9, 9);
  assert.deepEqual(Array.from(out).map((x) => +x.toFixed(6)), [9 / n, 9 / n, 1 / Math.hypot(1, 2), 2 / Math.hypot(1, 2)].map((x) => +x.toFixed(6)));
});
