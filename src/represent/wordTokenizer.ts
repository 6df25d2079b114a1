/**
 * scikit-learn's default token pattern `(?u)\b\w\w+\b` in JavaScript.
 *
 * Python's Unicode `\w` is "str.isalnum() or '_'": letters (Lu Ll Lt Lm Lo) and numbers (Nd Nl No),
 * not combining marks. That is exactly `[\p{L}\p{N}_]` (checked over every code point against
 * Python 3.11: Python has no \w character outside this class; JS only adds characters that
 * Unicode assigned after Python 3.11's Unicode 14). JS's own `\b`/`\w` are ASCII-only even with
 * the `u` flag, so we cannot use them. `\b\w\w+\b` matches the maximal runs of word characters
 * that are at least two long, which is what this scanner emits.
 */

const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

/** 1 = word character, 2 = not; 0 = not yet known (filled lazily for the BMP). */
const bmpClass = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  const isWord = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  bmpClass[c] = isWord ? 1 : 2;
}

function isWordUnit(c: number): boolean {
  let k = bmpClass[c]!;
  if (k === 0) {
    k = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    bmpClass[c] = k;
  }
  return k === 1;
}

function isWordCodePoint(cp: number): boolean {
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/**
 * Calls emit(token) for every maximal run of at least two word characters (counted in code points,
 * as Python does) in text, left to right. The text must already be lowercased if that is wanted.
 */
export function forEachWordToken(text: string, emit: (token: string) => void): void {
  const n = text.length;
  let start = -1; // start of the current run, -1 outside a run
  let runLength = 0; // in code points
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let width = 1;
    let word: boolean;
    if (c < 0xd800 || c > 0xdfff) {
      word = isWordUnit(c);
    } else if (c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        width = 2;
        word = isWordCodePoint(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
      } else {
        word = false; // lone surrogate: never a word character
      }
    } else {
      word = false;
    }
    if (word) {
      if (start < 0) {
        start = i;
        runLength = 0;
      }
      runLength++;
    } else if (start >= 0) {
      if (runLength >= 2) emit(text.slice(start, i));
      start = -1;
    }
    i += width;
  }
  if (start >= 0 && runLength >= 2) emit(text.slice(start, n));
}
