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
