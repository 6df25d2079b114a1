/**
 * The fast WordPiece tokenizer (src/embed/text/wordPiece.ts) gives exactly transformers.js' ids:
 * on every 20 Newsgroups body, every tweet and hostile strings (emoji, CJK, accents, control
 * characters, lone surrogates, special tokens inside the text, a 200,000-character word), for
 * all-MiniLM-L6-v2 and, when it is in the model cache, BAAI/bge-small-en-v1.5. Tokenizers of
 * another kind are refused (null), so the embedder keeps transformers.js for them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { createWordPieceTokenizer, wordPieceFromJson } from '../../src/embed/text/wordPiece.js';
import { resolveModelDir } from '../../src/embed/model/modelFiles.js';
import { SHARED_DATA } from '../helpers/paths.js';

function jsonl(file: string, field: string): string[] {
  return gunzipSync(readFileSync(path.join(SHARED_DATA, file)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as Record<string, string>)[field]!)
    .filter((t) => typeof t === 'string');
}

const hostile = [
  '',
  ' ',
  '\t\n\r ',
  'Hello, World!',
  'naïve café résumé Ångström ÉCOLE Straße ﬁnance',
  'Σίσυφος ΟΔΥΣΣΕΥΣ ΣΑΣ. Σ.Α',
  'İstanbul ıi İI',
  '😀😃 👩‍👩‍👧‍👦 🇫🇷 flag✓ ©®™ ❤️',
  '中文字符测试，日本語のテキスト。한국어 텍스트 𠀀𠀁 𪚥',
  'mixed中文english混合text',
  'control\u0000chars\u0001\u0007\u001b[31m\u007f\u0085\u200b\u200d\u2060\ufeffend',
  'bidi \u202e\u202d marks \u00ad soft hyphen',
  'lone \ud800 high and \udc00 low surrogates \ud83d',
  'private \ue000\uf8ff \u{f0000} use',
  'replacement \ufffd char',
  'spaces\u00a0nbsp\u2003em\u3000ideographic\u2028line\u2029para\u1680ogham',
  'fullwidth ＡＢＣ１２３！ and halfwidth ｶﾀｶﾅ',
  'combining e\u0301 a\u0300 n\u0303 \u0301alone Z\u0351\u0352\u0357a\u035d\u0361l\u0334go',
  'Arabic العربية Hebrew עברית Thai ภาษาไทย Devanagari हिन्दी',
  'astral punct \u{10100}\u{1039f} and \u{1d400}math',
  'special [CLS] tokens [SEP] inside [MASK] text [PAD][UNK] [cls] [Sep] [[CLS]]',
  '[CLS]',
  'a'.repeat(100),
  'a'.repeat(101),
  '😀'.repeat(100),
  '😀'.repeat(101),
  'é'.repeat(100) + ' ' + 'e\u0301'.repeat(60),
  'a'.repeat(200_000),
  '!?.,;'.repeat(2_000),
  'https://t.co/AbC123xyz @realDonaldTrump #MAGA $100 50% a&b <html> ~tilde` ^caret |pipe',
  'unbelievable antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis xqzjv',
  'ÀÁÂÃÄÅàáâãäå ÇçÑñ ØøŒœÆæ Łł Đđ',
  '\u00bf\u00a1 \u2018quoted\u2019 \u201cdouble\u201d \u2026 \u2014dash\u2013 \u00b7 \u2022',
  '¼ ½ ² ³ µ ° ± × ÷',
  'ｆｕｌｌ　ｗｉｄｔｈ　ｓｐａｃｅ',
];

for (const name of ['all-MiniLM-L6-v2', 'bge-small-en-v1.5']) {
  const dir = resolveModelDir({ model: name });
  test(`${name}: the WordPiece tokenizer gives transformers.js' ids on every 20 Newsgroups body, every tweet and hostile strings`, { skip: !existsSync(path.join(dir, 'tokenizer.json')) && `${dir} absent` }, async () => {
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(dir);
    const ref = await AutoTokenizer.from_pretrained(path.basename(dir));
    const fast = createWordPieceTokenizer(path.join(dir, 'tokenizer.json'), path.join(dir, 'tokenizer_config.json'));
    assert.ok(fast, 'a BERT WordPiece tokenizer is accepted');
    const corpora: Array<[string, string[]]> = [
      ['hostile', hostile],
      ['20 Newsgroups bodies', jsonl('20newsgroups_bydate.jsonl.gz', 'body')],
      ['tweets', jsonl('trump_tweets_2009_2019.jsonl.gz', 'text')],
    ];
    for (const [what, texts] of corpora) {
      let tokens = 0;
      for (let i = 0; i < texts.length; i++) {
        const a = ref.encode(texts[i]!);
        const b: Int32Array = fast!.encode(texts[i]!);
        let same = a.length === b.length;
        for (let j = 0; same && j < a.length; j++) same = a[j] === b[j];
        if (!same) assert.deepEqual(Array.from(b), a, `${what} #${i}: ${JSON.stringify(texts[i]!.slice(0, 80))}`);
        tokens += a.length;
      }
      console.log(`${name}, ${what}: ${texts.length} texts, ${tokens} tokens, all equal`);
    }
  });
}

test('other tokenizers are refused: the embedder keeps transformers.js for them', () => {
  const bert = {
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: { type: 'WordPiece', vocab: { '[UNK]': 0, '[CLS]': 1, '[SEP]': 2, a: 3 }, unk_token: '[UNK]' },
    post_processor: { type: 'BertProcessing', cls: ['[CLS]', 1] as [string, number], sep: ['[SEP]', 2] as [string, number] },
  };
  assert.deepEqual(Array.from(wordPieceFromJson(bert)!.encode('a b A')), [1, 3, 0, 3, 2]);
  assert.equal(wordPieceFromJson({ ...bert, model: { ...bert.model, type: 'BPE' } }), null);
  assert.equal(wordPieceFromJson({ ...bert, normalizer: { type: 'NFC' } }), null);
  assert.equal(wordPieceFromJson({ ...bert, pre_tokenizer: { type: 'Metaspace' } }), null);
  assert.equal(wordPieceFromJson({ ...bert, post_processor: null }), null);
  assert.equal(wordPieceFromJson({ ...bert, added_tokens: [{ id: 4, content: '<x>', normalized: true }] }), null);
  assert.equal(wordPieceFromJson(bert, { do_lowercase_and_remove_accent: true }), null);
});
