/**
 * Fitting token sequences into the model's window (256 tokens for all-MiniLM-L6-v2, [CLS] and
 * [SEP] included).
 *
 * `chunk`: a long text's content tokens are cut into the fewest windows that fit, of near-equal
 * size (ceil(n / windows) each), so the last window is not a stub with little context; each is
 * wrapped in [CLS] … [SEP] and embedded, and the text's embedding is the token-count-weighted mean
 * of the windows' normalised embeddings, normalised again.
 * `truncate`: the first maxTokens-2 content tokens, as sentence-transformers does.
 */

export type LongTextMode = 'chunk' | 'truncate';

export interface Window {
  /** token ids, [CLS] … [SEP] */
  ids: Int32Array;
  /** weight of this window in its text's embedding (content tokens in it) */
  weight: number;
}

export interface WindowOptions {
  maxTokens: number;
  mode: LongTextMode;
  /** cap on windows per text in chunk mode; tokens beyond are dropped */
  maxWindows: number;
  clsId: number;
  sepId: number;
}

/**
 * Splits an encoded text (with its [CLS] first and [SEP] last, as the tokenizer returns it) into
 * windows. Always returns at least one window: the empty text is [CLS][SEP], embedded as is
 * (as sentence-transformers does).
 */
export function toWindows(encoded: ArrayLike<number>, o: WindowOptions): Window[] {
  const n = encoded.length;
  if (n < 2 || encoded[0] !== o.clsId || encoded[n - 1] !== o.sepId) {
    throw new Error(`toWindows: expected [CLS] … [SEP] token ids, got ${n} ids`);
  }
  const room = o.maxTokens - 2;
  if (room < 1) throw new Error(`toWindows: maxTokens ${o.maxTokens} leaves no room for content`);
  const content = n - 2;
  if (content <= room) return [{ ids: Int32Array.from(encoded), weight: Math.max(content, 1) }];

  if (o.mode === 'truncate') return [{ ids: wrap(encoded, 1, 1 + room, o), weight: room }];

  const kept = Math.min(content, room * o.maxWindows);
  const count = Math.ceil(kept / room);
  const size = Math.ceil(kept / count);
  const out: Window[] = [];
  for (let start = 0; start < kept; start += size) {
    const end = Math.min(kept, start + size);
    out.push({ ids: wrap(encoded, 1 + start, 1 + end, o), weight: end - start });
  }
  return out;
}

function wrap(encoded: ArrayLike<number>, from: number, to: number, o: WindowOptions): Int32Array {
  const ids = new Int32Array(to - from + 2);
  ids[0] = o.clsId;
  for (let i = from; i < to; i++) ids[i - from + 1] = encoded[i]!;
  ids[ids.length - 1] = o.sepId;
  return ids;
}

/** Content tokens of a text that its windows can hold: the rest is dropped. */
export function embeddableTokens(o: Pick<WindowOptions, 'maxTokens' | 'mode' | 'maxWindows'>): number {
  const room = o.maxTokens - 2;
  return o.mode === 'truncate' ? room : room * o.maxWindows;
}

/**
 * Tokens past the cap that a prefix must reach before its first `cap` tokens are trusted: a prefix
 * cut inside a word tokenises that word differently, and a word is never more than this many
 * tokens (WordPiece turns a word over 100 characters into one [UNK]; SentencePiece pieces are at
 * least a character).
 */
const PREFIX_MARGIN_TOKENS = 128;
/** First guess of characters per token (English averages about 4-5). */
const PREFIX_CHARS_PER_TOKEN = 6;

/**
 * `encode(text)`, or the encoding of a prefix of it that has the same first `cap` content tokens:
 * only what can be embedded is tokenised (a 160,000-character post needs ~2,000 tokens, not
 * 40,000). The prefix ends at a whitespace where one is near, and grows until it yields
 * `cap` + PREFIX_MARGIN_TOKENS content tokens; tokenisers split at whitespace and punctuation
 * first, so the tokens of the words before the cut are those of the whole text.
 */
export function encodeEmbeddable(text: string, cap: number, encode: (s: string) => ArrayLike<number>): ArrayLike<number> {
  const need = cap + PREFIX_MARGIN_TOKENS;
  for (let chars = need * PREFIX_CHARS_PER_TOKEN; chars < text.length; chars *= 2) {
    const ids = encode(text.slice(0, cutAt(text, chars)));
    if (ids.length - 2 >= need) return ids;
  }
  return encode(text);
}

/** A cut at or before `chars`: after the last whitespace in the 200 characters before it, else at `chars` (never inside a surrogate pair). */
function cutAt(text: string, chars: number): number {
  for (let i = chars; i > chars - 200 && i > 0; i--) if (/\s/.test(text[i - 1]!)) return i;
  const c = text.charCodeAt(chars - 1);
  return c >= 0xd800 && c <= 0xdbff ? chars - 1 : chars;
}
