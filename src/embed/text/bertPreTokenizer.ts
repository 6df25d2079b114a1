/**
 * BertPreTokenizer for the fast WordPiece tokenizer (wordPiece.ts): words = runs of neither
 * whitespace nor punctuation (\p{P} and ASCII symbols), each punctuation code point a word of its
 * own; each word goes to the vocabulary trie's WordPiece (vocabTrie.ts).
 */
import type { VocabTrie } from './vocabTrie.js';

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
export function wordPieces(s: string, trie: VocabTrie, maxChars: number, unk: number, push: (id: number) => void): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    // a code point (a surrogate pair as one; a lone surrogate as itself)
    const c = s.codePointAt(i)!;
    const w = c > 0xffff ? 2 : 1;
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
        const c2 = s.codePointAt(i)!;
        if (classOf(c2) !== WORD) break;
        i += c2 > 0xffff ? 2 : 1;
        chars++;
      }
      trie.encodeWord(s, start, i, chars, maxChars, unk, push);
    }
  }
}
