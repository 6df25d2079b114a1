/**
 * The embedder's batching (texts tokenised on the main thread by the fast WordPiece tokenizer,
 * windows sorted by token count across texts, one forward pass per batch, a text's windows
 * combined as their batches come back) gives the vectors of each text embedded on its own:
 * transformers.js' tokenizer and model, one window per forward pass (no padding), mean pooling,
 * windows combined by token count. fp32, cosine >= 0.9999 for every text, on tweets, 20 Newsgroups
 * bodies (the 3 longest included: 8 windows each in chunk mode) and hostile strings, in chunk and
 * truncate mode, with 2 workers and a batch size that makes batches mix texts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { before, test } from 'node:test';
import { AutoModel, AutoTokenizer, env, Tensor } from '@huggingface/transformers';
import { createEmbedder } from '../../src/embed/embedder.js';
import { resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { pullModel } from '../../src/embed/model/pull.js';
import { encodeEmbeddable, embeddableTokens, toWindows, type WindowOptions } from '../../src/embed/text/windows.js';
import { meanPoolNormalize, normalizeAt, addScaledAt } from '../../src/embed/worker/pooling.js';
import { SHARED_DATA } from '../helpers/paths.js';

const DIM = 384;
const modelDir = resolveModelDir();

function lines(file: string): Array<Record<string, string>> {
  return gunzipSync(readFileSync(path.join(SHARED_DATA, file)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>);
}

function sample(): string[] {
  const tweets = lines('trump_tweets_2009_2019.jsonl.gz').filter((_, i) => i % 211 === 0).slice(0, 150).map((d) => d.text!);
  const ng = lines('20newsgroups_bydate.jsonl.gz').map((d) => d.body!);
  const bodies = ng.filter((_, i) => i % 541 === 0).slice(0, 30);
  const longest = [...ng].sort((a, b) => b.length - a.length).slice(0, 3);
  const hostile = ['', ' ', '😀😃 👩‍👩‍👧‍👦 🇫🇷', '中文字符测试，日本語のテキスト', 'naïve café [MASK] inside [CLS]', 'a'.repeat(5000), 'control\u0000\u0007 chars\u200b\ufeff', '!?.,;'.repeat(300)];
  return [...tweets, ...bodies, ...longest, ...hostile];
}

/** Each text alone: transformers.js tokenizer + model, one window per forward pass. */
async function reference(texts: string[], o: WindowOptions): Promise<Float32Array> {
  const saved = { allowRemoteModels: env.allowRemoteModels, localModelPath: env.localModelPath };
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir);
  try {
    const id = path.basename(modelDir);
    const tok = await AutoTokenizer.from_pretrained(id);
    const model = await AutoModel.from_pretrained(id, { dtype: 'fp32', session_options: { intraOpNumThreads: 1 } });
    const out = new Float32Array(texts.length * DIM);
    const row = new Float32Array(DIM);
    const cap = embeddableTokens(o);
    for (let t = 0; t < texts.length; t++) {
      const windows = toWindows(encodeEmbeddable(texts[t]!, cap, (s) => tok.encode(s)), o);
      const total = windows.reduce((a, w) => a + w.weight, 0);
      for (const w of windows) {
        const dims = [1, w.ids.length];
        const ids = BigInt64Array.from(w.ids, (x) => BigInt(x));
        const res = (await model({
          input_ids: new Tensor('int64', ids, dims),
          attention_mask: new Tensor('int64', new BigInt64Array(w.ids.length).fill(1n), dims),
          token_type_ids: new Tensor('int64', new BigInt64Array(w.ids.length), dims),
        })) as { last_hidden_state: Tensor };
        meanPoolNormalize(res.last_hidden_state.data as Float32Array, Int32Array.of(w.ids.length), w.ids.length, DIM, row);
        addScaledAt(out, t * DIM, row, 0, w.weight / total, DIM);
      }
      normalizeAt(out, t * DIM, DIM);
    }
    await model.dispose();
    return out;
  } finally {
    Object.assign(env, saved);
  }
}

function minCosine(a: Float32Array, b: Float32Array, n: number): { min: number; at: number } {
  let min = Infinity;
  let at = 0;
  for (let r = 0; r < n; r++) {
    let d = 0;
    let na = 0;
    let nb = 0;
    for (let k = 0; k < DIM; k++) {
      const x = a[r * DIM + k]!;
      const y = b[r * DIM + k]!;
      d += x * y;
      na += x * x;
      nb += y * y;
    }
    const c = d / Math.sqrt(na * nb);
    if (c < min) {
      min = c;
      at = r;
    }
  }
  return { min, at };
}

before(async () => {
  await pullModel({ dtype: 'fp32' });
});

for (const mode of ['chunk', 'truncate'] as const) {
  test(`fp32, ${mode}: every text's vector is the one it gets embedded alone (cosine >= 0.9999)`, async () => {
    const texts = sample();
    const e = await createEmbedder({ modelDir, dtype: 'fp32', longText: mode, workers: 2, batchSize: 16 });
    let got: Float32Array;
    let small: Float32Array;
    try {
      got = (await e.embed(texts)).data;
      const s = e.stats();
      assert.equal(s.texts, texts.length);
      assert.ok(s.paddedTokens >= s.tokens);
      console.log(`${mode}: ${texts.length} texts, ${s.windows} windows, ${s.tokens} tokens, ${s.paddedTokens} with padding`);
      // a small call, as the service makes between batches: its windows shared evenly by the two workers (batchSizeFor)
      small = (await e.embed(texts.slice(0, 11))).data;
    } finally {
      await e.close();
    }
    const ref = await reference(texts, { maxTokens: 256, mode, maxWindows: 8, clsId: 101, sepId: 102 });
    const { min, at } = minCosine(got, ref, texts.length);
    console.log(`${mode}: min cosine ${min.toFixed(7)} (text ${at})`);
    assert.ok(min >= 0.9999, `text ${at}: cosine ${min} (${JSON.stringify(texts[at]!.slice(0, 60))})`);
    const first = minCosine(small, ref, 11);
    assert.ok(first.min >= 0.9999, `small call, text ${first.at}: cosine ${first.min}`);
  });
}
