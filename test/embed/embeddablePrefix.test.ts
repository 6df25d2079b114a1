/**
 * Only what can be embedded is tokenised (src/embed/text/windows.ts, encodeEmbeddable): with the
 * real tokenizer, on the longest 20 Newsgroups posts and on hostile texts (one 200,000-character
 * word, emoji, CJK, punctuation runs), the prefix's tokens are the whole text's up to the cap, and
 * the windows embedded are the same in both long-text modes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { embeddableTokens, encodeEmbeddable, toWindows, type WindowOptions } from '../../src/embed/text/windows.js';
import { resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { SHARED_DATA } from '../helpers/paths.js';

test('the tokens of the embeddable prefix are the whole text\'s up to the cap, windows unchanged', async () => {
  const modelDir = resolveModelDir();
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir);
  const tok = await AutoTokenizer.from_pretrained(path.basename(modelDir));
  const encode = (s: string) => tok.encode(s);
  const posts = gunzipSync(readFileSync(path.join(SHARED_DATA, '20newsgroups_bydate.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { body: string }).body)
    .sort((a, b) => b.length - a.length)
    .slice(0, 12);
  const hostile = ['a'.repeat(200_000), '😀'.repeat(60_000), '中文字符'.repeat(30_000), '!?.,;'.repeat(20_000), 'word '.repeat(40_000), `${'x'.repeat(90)} `.repeat(3_000)];
  let whole = 0;
  let tokenised = 0;
  for (const mode of ['chunk', 'truncate'] as const) {
    const o: WindowOptions = { maxTokens: 256, mode, maxWindows: 8, clsId: 101, sepId: 102 };
    const cap = embeddableTokens(o);
    for (const text of [...posts, ...hostile]) {
      const full = encode(text);
      const pre = encodeEmbeddable(text, cap, encode);
      const n = Math.min(cap, full.length - 2) + 1;
      assert.deepEqual(Array.from(pre).slice(0, n), Array.from(full).slice(0, n), `${mode}: ${text.slice(0, 40)}…`);
      assert.deepEqual(toWindows(pre, o), toWindows(full, o));
      if (mode === 'chunk' && posts.includes(text)) {
        whole += full.length;
        tokenised += pre.length;
      }
    }
  }
  assert.ok(posts[0]!.length > 100_000, 'the longest post is over 100,000 characters');
  console.log(`the 12 longest posts: ${whole} tokens whole, ${tokenised} tokenised`);
  assert.ok(tokenised < whole / 2);
});
