/**
 * BertNormalizer, as transformers.js runs it, for the fast WordPiece tokenizer (wordPiece.ts):
 * clean_text: drop U+0000, U+FFFD and control/format/private-use/surrogate code points except
 * \t \n \r, whitespace → ' '; handle_chinese_chars: spaces around BMP CJK ideographs (per UTF-16
 * unit, as transformers.js does); lowercase (String#toLowerCase) and, unless strip_accents is
 * false, NFD + drop \p{Mn}.
 */

/** tokenizer.json's `normalizer` section */
export interface BertNormalizerJson {
  type?: string;
  clean_text?: boolean;
  handle_chinese_chars?: boolean;
  strip_accents?: boolean | null;
  lowercase?: boolean;
}

/** BertNormalizer as transformers.js runs it, as whole-string native operations. */
export function normalizer(n: BertNormalizerJson): (s: string) => string {
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
