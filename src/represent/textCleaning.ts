/**
 * BERTopic's `_preprocess_text`, applied to the per-topic documents before they are vectorised:
 *   - `'bertopic-english'` (BERTopic's default, `language="english"`): "\n" and "\t" become spaces,
 *     then every character outside [A-Za-z0-9 ] is deleted (so "don't" -> "dont", "e-mail" ->
 *     "email", "café" -> "caf", "\r" vanishes and joins its neighbours);
 *   - `'bertopic'` (what BERTopic does when an embedding model is given, `language=None`):
 *     only "\n" and "\t" become spaces (which does not change tokenisation at all);
 *   - `'none'`: the text as is (plain scikit-learn CountVectorizer).
 * BERTopic also replaces a per-topic document that is empty after cleaning by the word "emptydoc";
 * that rule lives with the per-topic grouping (topicTerms.ts), since it is about the joined text.
 */
export type TextCleaning = 'none' | 'bertopic' | 'bertopic-english';

const NEWLINE_TAB = /[\n\t]/g;
const NOT_ENGLISH_ALNUM_SPACE = /[^A-Za-z0-9 ]+/g;

/** Deletes what 'bertopic-english' deletes but keeps "\n"/"\t": one pass instead of two. */
const NOT_ENGLISH_ALNUM_WHITESPACE = /[^A-Za-z0-9 \n\t]+/g;

/**
 * The cleaning as far as tokens can tell: identical tokens (and identical emptiness) to cleanText,
 * because "\n" and "\t" separate tokens just as the spaces BERTopic turns them into do.
 */
export function cleanTextForTokens(text: string, mode: TextCleaning): string {
  return mode === 'bertopic-english' ? text.replace(NOT_ENGLISH_ALNUM_WHITESPACE, '') : cleanText(text, mode);
}

export function cleanText(text: string, mode: TextCleaning): string {
  switch (mode) {
    case 'none':
    case 'bertopic':
      // "\n"/"\t" -> " " only matters for the exact string; tokens are identical either way.
      return text;
    case 'bertopic-english':
      return text.replace(NEWLINE_TAB, ' ').replace(NOT_ENGLISH_ALNUM_SPACE, '');
    default:
      throw new Error(`unknown text cleaning mode: ${String(mode)}`);
  }
}
