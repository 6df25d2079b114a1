/**
 * A fast BERT WordPiece tokenizer read from a model's tokenizer.json, giving exactly the ids of
 * transformers.js' tokenizer (@huggingface/tokenizers, which it bundles) for the tokenizers it
 * accepts: BertNormalizer + BertPreTokenizer + WordPiece + a [CLS] A [SEP] post-processor, with
 * special tokens that are matched on the raw text (normalized: false, no lstrip/rstrip). Anything
 * else (BPE, Unigram, other normalizers or pre-tokenizers) returns null: the caller keeps
 * transformers.js' tokenizer.
 *
 * Same steps as transformers.js, with native string operations over the whole text instead of
 * per-character arrays, and WordPiece's greedy longest-match-first as a walk in a vocabulary trie
 * on typed arrays (no substring per attempt):
 *  1. split the raw text at the special tokens ([CLS], [SEP], [MASK] …), each kept whole;
 *  2. clean_text: drop U+0000, U+FFFD and control/format/private-use/surrogate code points except
 *     \t \n \r, whitespace → ' '; handle_chinese_chars: spaces around BMP CJK ideographs (per UTF-16
 *     unit, as transformers.js does); lowercase (String#toLowerCase) and, unless strip_accents is
 *     false, NFD + drop \p{Mn};
 *  3. words = runs of neither whitespace nor punctuation (\p{P} and ASCII symbols), each
 *     punctuation code point a word of its own;
 *  4. WordPiece per word: over max_input_chars_per_word code points → [UNK]; else the longest
 *     vocabulary prefix, then the longest `##` piece, …; a word with an unmatchable rest → [UNK].
 * This module reads tokenizer.json and wires the steps together; step 1 is specialSplitter.ts,
 * 2 bertNormalizer.ts, 3 bertPreTokenizer.ts, 4 vocabTrie.ts.
 *  test/embed/wordPiece.test.ts checks it against transformers.js on every 20 Newsgroups body and
 *  every tweet, and hostile strings, for all-MiniLM-L6-v2 and bge-small-en-v1.5.
 */
import { readFileSync } from 'node:fs';
import { normalizer, type BertNormalizerJson } from './bertNormalizer.js';
import { wordPieces } from './bertPreTokenizer.js';
import { SpecialSplitter, type AddedToken } from './specialSplitter.js';
import { VocabTrie } from './vocabTrie.js';

export interface IdTokenizer {
  /** token ids with the start and end token, as transformers.js' `tokenizer.encode(text)` */
  encode(text: string): Int32Array;
}

interface TokenizerJson {
  normalizer?: BertNormalizerJson | null;
  pre_tokenizer?: { type?: string } | null;
  model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
  post_processor?: {
    type?: string;
    single?: Array<{ SpecialToken?: { id: string }; Sequence?: { id: string } }>;
    special_tokens?: Record<string, { ids: number[] }>;
    cls?: [string, number];
    sep?: [string, number];
  } | null;
  added_tokens?: AddedToken[];
}

interface TokenizerConfigJson {
  remove_space?: boolean;
  do_lowercase_and_remove_accent?: boolean;
}

/**
 * The fast tokenizer for a BERT WordPiece tokenizer.json, or null when the file describes another
 * kind of tokenizer (the caller then uses transformers.js). `configFile`: tokenizer_config.json,
 * whose options transformers.js applies before the normalizer (remove_space,
 * do_lowercase_and_remove_accent: not supported here, null when set).
 */
export function createWordPieceTokenizer(tokenizerFile: string, configFile?: string): IdTokenizer | null {
  const json = JSON.parse(readFileSync(tokenizerFile, 'utf8')) as TokenizerJson;
  let config: TokenizerConfigJson = {};
  if (configFile) {
    try {
      config = JSON.parse(readFileSync(configFile, 'utf8')) as TokenizerConfigJson;
    } catch {
      config = {};
    }
  }
  return wordPieceFromJson(json, config);
}

export function wordPieceFromJson(json: TokenizerJson, config: TokenizerConfigJson = {}): IdTokenizer | null {
  const norm = json.normalizer;
  const model = json.model;
  if (!norm || norm.type !== 'BertNormalizer') return null;
  if (json.pre_tokenizer?.type !== 'BertPreTokenizer') return null;
  if (!model || model.type !== 'WordPiece' || !model.vocab || typeof model.unk_token !== 'string') return null;
  if (config.remove_space === true || config.do_lowercase_and_remove_accent === true) return null;
  const vocab = model.vocab;
  const unk = vocab[model.unk_token];
  if (unk === undefined) return null;
  const wrap = specialWrap(json);
  if (!wrap) return null;
  const added = json.added_tokens ?? [];
  if (added.some((t) => t.normalized || t.lstrip || t.rstrip || t.single_word || t.content.length === 0)) return null;

  const normalize = normalizer(norm);
  const trie = new VocabTrie(vocab, model.continuing_subword_prefix ?? '##');
  const maxChars = model.max_input_chars_per_word ?? 100;
  const special = new SpecialSplitter(added);
  let buf = new Int32Array(1024);
  let len = 0;
  const push = (id: number) => {
    if (len === buf.length) {
      const b = new Int32Array(buf.length * 2);
      b.set(buf);
      buf = b;
    }
    buf[len++] = id;
  };
  const section = (text: string) => {
    const s = normalize(text);
    wordPieces(s, trie, maxChars, unk, push);
  };

  return {
    encode(text: string): Int32Array {
      len = 0;
      push(wrap.cls);
      special.split(text, section, push);
      push(wrap.sep);
      return buf.slice(0, len);
    },
  };
}

/** [CLS] and [SEP] ids from a TemplateProcessing `[CLS] $A [SEP]` or a BertProcessing post-processor; null for anything else. */
function specialWrap(json: TokenizerJson): { cls: number; sep: number } | null {
  const p = json.post_processor;
  if (!p) return null;
  if (p.type === 'BertProcessing' && p.cls && p.sep) return { cls: p.cls[1], sep: p.sep[1] };
  if (p.type !== 'TemplateProcessing' || !p.single || p.single.length !== 3) return null;
  const [a, b, c] = p.single;
  if (!a?.SpecialToken || b?.Sequence?.id !== 'A' || !c?.SpecialToken) return null;
  const cls = p.special_tokens?.[a.SpecialToken.id]?.ids;
  const sep = p.special_tokens?.[c.SpecialToken.id]?.ids;
  if (!cls || cls.length !== 1 || !sep || sep.length !== 1) return null;
  return { cls: cls[0]!, sep: sep[0]! };
}
