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
 *  test/embed/wordPiece.test.ts checks it against transformers.js on every 20 Newsgroups body and
 *  every tweet, and hostile strings, for all-MiniLM-L6-v2 and bge-small-en-v1.5.
 */
import { readFileSync } from 'node:fs';

export interface IdTokenizer {
  /** token ids with the start and end token, as transformers.js' `tokenizer.encode(text)` */
  encode(text: string): Int32Array;
}

interface TokenizerJson {
  normalizer?: { type?: string; clean_text?: boolean; handle_chinese_chars?: boolean; strip_accents?: boolean | null; lowercase?: boolean } | null;
  pre_tokenizer?: { type?: string } | null;
  model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
  post_processor?: {
    type?: string;
    single?: Array<{ SpecialToken?: { id: string }; Sequence?: { id: string } }>;
    special_tokens?: Record<string, { ids: number[] }>;
    cls?: [string, number];
    sep?: [string, number];
  } | null;
  added_tokens?: Array<{ id: number; content: string; normalized?: boolean; lstrip?: boolean; rstrip?: boolean; single_word?: boolean }>;
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

/** BertNormalizer as transformers.js runs it, as whole-string native operations. */
function normalizer(n: NonNullable<TokenizerJson['normalizer']>): (s: string) => string {
  const clean = !!n.clean_text;
  const cjk = !!n.handle_chinese_chars;
  const lower = !!n.lowercase;
  const strip = lower ? n.strip_accents !== false : !!n.strip_accents;
  return (s) => {
    // printable ASCII needs none of the cleaning, spacing or accent stripping
    const plain = !NOT_PRINTABLE_ASCII.test(s);
    if (!plain) {
      if (clean) s = s.replace(CONTROL, '').replace(WHITESPACE, ' ');
      if (cjk) s = s.replace(CJK, ' $& ');
    }
    if (lower) s = s.toLowerCase();
    if (strip && !plain) s = s.normalize('NFD').replace(MARK_NONSPACING, '');
    return s;
  };
}

const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
/** transformers.js drops U+0000, U+FFFD and \p{Cc}\p{Cf}\p{Co}\p{Cs} except \t \n \r (per code point; a lone surrogate is Cs) */
const CONTROL = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFD]/gu;
const WHITESPACE = /\s/g;
/** is_chinese_char's BMP ranges, tested per UTF-16 unit (transformers.js never sees an astral ideograph as one) */
const CJK = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF]/g;
const MARK_NONSPACING = /\p{Mn}/gu;

/** Character classes of the BERT pre-tokenizer: 0 word, 1 whitespace, 2 punctuation. */
const WORD = 0;
const SPACE = 1;
const PUNCT = 2;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_CLASS[c] = /\s/.test(ch) ? SPACE : (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e) || /\p{P}/u.test(ch) ? PUNCT : WORD;
}
const UNICODE_SPACE = /^\s$/u;
const UNICODE_PUNCT = /^\p{P}$/u;
const classCache = new Map<number, number>();
function classOf(cp: number): number {
  if (cp < 128) return ASCII_CLASS[cp]!;
  let k = classCache.get(cp);
  if (k === undefined) {
    const ch = String.fromCodePoint(cp);
    k = UNICODE_SPACE.test(ch) ? SPACE : UNICODE_PUNCT.test(ch) ? PUNCT : WORD;
    classCache.set(cp, k);
  }
  return k;
}

/** Pre-tokenizes a normalised section and WordPiece-encodes each word into `push`. */
function wordPieces(s: string, trie: VocabTrie, maxChars: number, unk: number, push: (id: number) => void): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    let w = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        w = 2;
      }
    }
    const k = classOf(c);
    if (k === SPACE) {
      i += w;
    } else if (k === PUNCT) {
      trie.encodeWord(s, i, i + w, 1, maxChars, unk, push);
      i += w;
    } else {
      // a run of word characters
      const start = i;
      let chars = 0;
      while (i < n) {
        let c2 = s.charCodeAt(i);
        let w2 = 1;
        if (c2 >= 0xd800 && c2 <= 0xdbff && i + 1 < n) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            c2 = 0x10000 + ((c2 - 0xd800) << 10) + (d - 0xdc00);
            w2 = 2;
          }
        }
        if (classOf(c2) !== WORD) break;
        i += w2;
        chars++;
      }
      trie.encodeWord(s, start, i, chars, maxChars, unk, push);
    }
  }
}

/**
 * The vocabulary as a trie over UTF-16 units, children in one open-addressing hash table
 * (parent node, unit) → child; a node's token id or -1. Word-initial pieces hang from the root,
 * `##` pieces from the node of the prefix `##`.
 */
class VocabTrie {
  private keyNode: Int32Array;
  private keyUnit: Int32Array;
  private child: Int32Array;
  private mask: number;
  private tokenId: Int32Array;
  private nodes = 1;
  private readonly contRoot: number;

  constructor(vocab: Record<string, number>, prefix: string) {
    const entries = Object.entries(vocab);
    let units = 0;
    for (const [t] of entries) units += t.length;
    const maxNodes = units + prefix.length + 2;
    let cap = 1;
    while (cap < maxNodes * 2) cap <<= 1;
    this.mask = cap - 1;
    this.keyNode = new Int32Array(cap).fill(-1);
    this.keyUnit = new Int32Array(cap);
    this.child = new Int32Array(cap);
    this.tokenId = new Int32Array(maxNodes).fill(-1);
    for (const [t, id] of entries) {
      let node = 0;
      for (let j = 0; j < t.length; j++) node = this.insert(node, t.charCodeAt(j));
      // on a duplicate, the Map built from the same object keeps the value it was given
      this.tokenId[node] = id;
    }
    let node = 0;
    for (let j = 0; j < prefix.length; j++) node = this.insert(node, prefix.charCodeAt(j));
    this.contRoot = node;
  }

  private slot(node: number, unit: number): number {
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca6b)) & this.mask;
    while (this.keyNode[h] !== -1 && (this.keyNode[h] !== node || this.keyUnit[h] !== unit)) h = (h + 1) & this.mask;
    return h;
  }

  private insert(node: number, unit: number): number {
    const h = this.slot(node, unit);
    if (this.keyNode[h] === -1) {
      this.keyNode[h] = node;
      this.keyUnit[h] = unit;
      this.child[h] = this.nodes++;
    }
    return this.child[h]!;
  }

  private next(node: number, unit: number): number {
    const h = this.slot(node, unit);
    return this.keyNode[h] === -1 ? -1 : this.child[h]!;
  }

  /** WordPiece of s[from, to) (`chars` code points): greedy longest match first, [UNK] for the whole word when a rest matches nothing. */
  encodeWord(s: string, from: number, to: number, chars: number, maxChars: number, unk: number, push: (id: number) => void): void {
    if (chars > maxChars) {
      push(unk);
      return;
    }
    // pieces are pushed only once the whole word is known to match: collect them first
    let count = 0;
    let start = from;
    while (start < to) {
      let node = start === from ? 0 : this.contRoot;
      let bestEnd = -1;
      let bestId = -1;
      for (let j = start; j < to; j++) {
        node = this.next(node, s.charCodeAt(j));
        if (node < 0) break;
        const id = this.tokenId[node]!;
        // an end inside a surrogate pair is no code-point boundary
        if (id >= 0 && !(j + 1 < to && isLowSurrogate(s.charCodeAt(j + 1)))) {
          bestEnd = j + 1;
          bestId = id;
        }
      }
      if (bestId < 0) {
        push(unk);
        return;
      }
      pieces[count++] = bestId;
      if (count === pieces.length) pieces = growPieces(pieces);
      start = bestEnd;
    }
    for (let p = 0; p < count; p++) push(pieces[p]!);
  }
}

let pieces: Int32Array = new Int32Array(256);
function growPieces(p: Int32Array): Int32Array {
  const b = new Int32Array(p.length * 2);
  b.set(p);
  return b;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Splits a raw text at the special tokens (longest match at the leftmost position, as
 * transformers.js' DictionarySplitter): a special token's id goes to `push`, the text between
 * them to `section`.
 */
class SpecialSplitter {
  private readonly byFirst = new Map<number, Array<{ content: string; id: number }>>();

  constructor(added: NonNullable<TokenizerJson['added_tokens']>) {
    for (const t of added) {
      const k = t.content.charCodeAt(0);
      const list = this.byFirst.get(k) ?? [];
      list.push({ content: t.content, id: t.id });
      // longest first: the first match is the longest
      list.sort((a, b) => b.content.length - a.content.length);
      this.byFirst.set(k, list);
    }
  }

  split(text: string, section: (s: string) => void, push: (id: number) => void): void {
    if (this.byFirst.size === 0) {
      if (text.length > 0) section(text);
      return;
    }
    let start = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const list = this.byFirst.get(text.charCodeAt(i));
      if (!list) continue;
      for (const t of list) {
        if (text.startsWith(t.content, i)) {
          if (i > start) section(text.slice(start, i));
          push(t.id);
          i += t.content.length - 1;
          start = i + 1;
          break;
        }
      }
    }
    if (start < n) section(text.slice(start));
  }
}
