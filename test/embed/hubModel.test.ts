/**
 * Another model from the hub, through a mirror named by HF_ENDPOINT (a local fake serving
 * bge-small-en-v1.5's files as Xenova/bge-small-en-v1.5 and its sentence-transformers files as
 * BAAI/... would): the transformers.js files and modules.json / 1_Pooling / sentence_bert_config
 * land in <cache>/models/bge-small-en-v1.5 and give CLS pooling. Needs the model in the cache
 * (.ci/run pulls it); skipped otherwise.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { isModelPresent, resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { readModelInfo } from '../../src/embed/model/modelInfo.js';
import { pullModel } from '../../src/embed/model/pull.js';
import { serve } from './helpers/localServer.js';

const MODEL = 'BAAI/bge-small-en-v1.5';
const source = resolveModelDir({ model: MODEL });
const skip = isModelPresent(source, 'q8') ? false : `${MODEL} (q8) not in ${source}`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'topicstream-hubmodel-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a model other than the default from a hub mirror (HF_ENDPOINT), with its sentence-transformers files', { skip }, async () => {
  const srv = await serve((p) => {
    const m = /^\/Xenova\/bge-small-en-v1\.5\/resolve\/main\/(.+)$/.exec(p);
    if (!m) return undefined;
    try {
      return { body: new Uint8Array(readFileSync(path.join(source, m[1]!))) };
    } catch {
      return undefined;
    }
  });
  const saved = process.env.HF_ENDPOINT;
  process.env.HF_ENDPOINT = srv.url;
  try {
    const cacheDir = path.join(tmp, 'cache');
    const r = await pullModel({ model: MODEL, cacheDir, dtype: 'q8', sources: ['hub'] });
    assert.equal(r.dir, path.join(cacheDir, 'models', 'bge-small-en-v1.5'));
    assert.equal(r.source, 'hub:Xenova/bge-small-en-v1.5');
    for (const f of ['modules.json', '1_Pooling/config.json', 'sentence_bert_config.json']) assert.ok(r.files.includes(f), f);
    const info = readModelInfo(r.dir, 'q8', MODEL);
    assert.deepEqual([info.pooling, info.maxTokens, info.hiddenSize, info.settingsFrom], ['cls', 512, 384, 'sentence-transformers']);
    assert.ok(srv.hits.some((h) => h.endsWith('onnx/model_quantized.onnx')));
  } finally {
    if (saved === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = saved;
    await srv.close();
  }
});
