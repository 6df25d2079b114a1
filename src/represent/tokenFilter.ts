/**
 * Readable topic words: what the vectorizer leaves out beyond stop words (none of it by default,
 * as BERTopic; the service turns it on through `stream.vectorizer`, src/config/schema.ts).
 *
 *   - dropUrls: "https://t.co/AbC", "www.x.org/a", "pic.twitter.com/x" are removed from the text
 *     *before* cleaning. 'bertopic-english' cleaning deletes every character outside [A-Za-z0-9 ],
 *     so a URL left in would become one token "httpstcoabc" (textCleaning.ts); without cleaning it
 *     would become "https", "co", "abc".
 *   - dropHandles: "@name" (not "a@b.com": the "@" must not follow a word character) and a retweet's
 *     "RT" before it, also before cleaning, which would turn the handle into the word "name".
 *   - dropHtmlEntities: "&amp;", "&gt;", "&#39;" (escaped text, as tweets come), which the
 *     cleaning would turn into the words "amp", "gt", "39".
 *   - dropNumbers: tokens made of digits only ("2016"; "trump2016" stays).
 *   - minTokenChars: tokens shorter than this many characters (code points). The token pattern
 *     already drops one-character tokens, so 2 changes nothing; 3 drops "us", "ok", ...
 */
export interface TokenFilterOptions {
  dropUrls?: boolean;
  dropHandles?: boolean;
  dropHtmlEntities?: boolean;
  dropNumbers?: boolean;
  minTokenChars?: number;
}

export interface ResolvedTokenFilter {
  readonly dropUrls: boolean;
  readonly dropHandles: boolean;
  readonly dropHtmlEntities: boolean;
  readonly dropNumbers: boolean;
  readonly minTokenChars: number;
}

const URL = /(?:\b(?:https?|ftp):\/\/|\bwww\.|\bpic\.twitter\.com\/)\S*/giu;
/** An @handle, with the retweet marker "RT" before it ("RT @name:" would leave the word "rt"). */
const HANDLE = /(?:\bRT\s+)?(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]+/giu;
const HTML_ENTITY = /&(?:[a-z][a-z0-9]*|#[0-9]+|#x[0-9a-f]+);/gi;
const DIGITS_ONLY = /^\p{N}+$/u;

/** null when the filter would do nothing (the BERTopic default). */
export function resolveTokenFilter(o: TokenFilterOptions = {}): ResolvedTokenFilter | null {
  const minTokenChars = o.minTokenChars ?? 2;
  if (!Number.isInteger(minTokenChars) || minTokenChars < 1) {
    throw new Error(`minTokenChars must be an integer >= 1, got ${minTokenChars}`);
  }
  const f = {
    dropUrls: o.dropUrls ?? false,
    dropHandles: o.dropHandles ?? false,
    dropHtmlEntities: o.dropHtmlEntities ?? false,
    dropNumbers: o.dropNumbers ?? false,
    minTokenChars,
  };
  return f.dropUrls || f.dropHandles || f.dropHtmlEntities || f.dropNumbers || minTokenChars > 2 ? f : null;
}

/** The text with URLs, @handles and HTML entities replaced by a space (so they split their neighbours). */
export function stripUrlsAndHandles(text: string, f: ResolvedTokenFilter): string {
  let t = text;
  if (f.dropHtmlEntities && t.includes('&')) t = t.replace(HTML_ENTITY, ' ');
  if (f.dropUrls && t.length > 3) t = t.replace(URL, ' ');
  if (f.dropHandles && t.includes('@')) t = t.replace(HANDLE, ' ');
  return t;
}

/** Whether a token (from the word tokenizer, after cleaning and lowercasing) is kept. */
export function keepToken(token: string, f: ResolvedTokenFilter): boolean {
  if (f.dropNumbers && DIGITS_ONLY.test(token)) return false;
  if (f.minTokenChars > 2 && codePointLength(token, f.minTokenChars) < f.minTokenChars) return false;
  return true;
}

/** Code points in s, counting at most up to `cap`. */
function codePointLength(s: string, cap: number): number {
  if (s.length < cap) return s.length; // surrogate pairs only make it shorter
  let n = 0;
  for (const _ of s) if (++n >= cap) break;
  return n;
}
