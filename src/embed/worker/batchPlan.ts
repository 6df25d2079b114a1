/**
 * Groups windows into model batches with little padding: sorted by token count (as
 * sentence-transformers sorts a batch's texts by length), then cut into runs of at most
 * `batchSize` windows and at most `batchTokens` padded tokens. Each batch is padded to its longest
 * window only. The token cap keeps a forward pass's activations small: on 2 cores, 20 Newsgroups
 * posts of 256 tokens embed 1.3-1.4x faster (q8) and 1.15x (fp32) in batches of 2 than of 8, while
 * tweets (~35 tokens) are fastest at 8 (src/embed/README.md, "Batch shape").
 */
import type { Window } from '../text/windows.js';

/** Windows per forward pass (the `embedding.batchSize` default; docs/benchmarks.md, "Performance"). */
export const DEFAULT_BATCH_SIZE = 8;
/** Tokens per forward pass, padding included (the `embedding.batchTokens` default; src/embed/README.md, "Batch shape"). */
export const DEFAULT_BATCH_TOKENS = 512;
/** Texts per chunk after the first: this many batches per worker (windows are sorted within a chunk; 64: 1.5% less padding than 16 on tweets). */
const CHUNK_BATCHES = 64;

export interface PlannedWindow extends Window {
  /** index of the text this window belongs to */
  text: number;
}

export interface ModelBatch {
  windows: PlannedWindow[];
  /** padded sequence length (the longest window) */
  seq: number;
}

/**
 * Windows per forward pass for a chunk of `n` windows: `batchSize`, or fewer so that a small chunk
 * is shared evenly by the workers (10 windows on 2 workers: 5 + 5, not 8 + 2; the call waits for its
 * slowest batch). The service embeds what arrived since its last batch, often 5-15 posts.
 */
export function batchSizeFor(n: number, batchSize: number, workers: number): number {
  return Math.max(1, Math.min(batchSize, Math.ceil(n / workers)));
}

/**
 * The texts of one embed call in the chunks it tokenises and sends, as [from, to): `workers ×
 * batchSize` texts first (the workers start at once), then CHUNK_BATCHES batches per worker while
 * the workers run.
 */
export function* textChunks(n: number, batchSize: number, workers: number): Generator<[number, number]> {
  const first = batchSize * workers;
  for (let from = 0, chunk = first; from < n; from += chunk, chunk = first * CHUNK_BATCHES) yield [from, Math.min(n, from + chunk)];
}

export function planBatches(windows: readonly PlannedWindow[], batchSize: number, batchTokens = Infinity): ModelBatch[] {
  if (batchSize < 1) throw new Error(`planBatches: batchSize ${batchSize} < 1`);
  const sorted = [...windows].sort((a, b) => b.ids.length - a.ids.length);
  const out: ModelBatch[] = [];
  for (let i = 0; i < sorted.length; ) {
    const seq = sorted[i]!.ids.length;
    // longest first: the batch's first window sets its padded length, so its size follows from it
    const size = Math.max(1, Math.min(batchSize, Math.floor(batchTokens / Math.max(1, seq))));
    const ws = sorted.slice(i, i + size);
    out.push({ windows: ws, seq });
    i += ws.length;
  }
  return out;
}

export interface BatchTensors {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  lengths: Int32Array;
}

/** Right-padded int64 inputs for one batch (the tokenizer's pad id, mask 0 at padding, token types all 0). */
export function batchTensors(b: ModelBatch, padId = 0): BatchTensors {
  const n = b.windows.length;
  const inputIds = new BigInt64Array(n * b.seq);
  if (padId !== 0) inputIds.fill(BigInt(padId));
  const attentionMask = new BigInt64Array(n * b.seq);
  const lengths = new Int32Array(n);
  // Token ids are small non-negative ints: on a little-endian machine, writing the low 32-bit
  // word of each int64 (the high word stays 0) avoids a BigInt per token.
  const ids32 = LITTLE_ENDIAN ? new Int32Array(inputIds.buffer) : undefined;
  const mask32 = LITTLE_ENDIAN ? new Int32Array(attentionMask.buffer) : undefined;
  for (let r = 0; r < n; r++) {
    const ids = b.windows[r]!.ids;
    lengths[r] = ids.length;
    const off = r * b.seq;
    for (let t = 0; t < ids.length; t++) {
      if (ids32 && mask32) {
        ids32[2 * (off + t)] = ids[t]!;
        mask32[2 * (off + t)] = 1;
      } else {
        inputIds[off + t] = BigInt(ids[t]!);
        attentionMask[off + t] = 1n;
      }
    }
  }
  return { inputIds, attentionMask, tokenTypeIds: new BigInt64Array(n * b.seq), lengths };
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Right-padded int64 inputs of one forward pass built from flat token ids, in buffers kept from
 * batch to batch (grown when a batch is larger): no allocation per token or per batch. The
 * returned arrays are views, valid until the next `fill`.
 */
export class PaddedBatch {
  private ids = new BigInt64Array(0);
  private mask = new BigInt64Array(0);
  private types = new BigInt64Array(0);

  constructor(private readonly padId = 0) {}

  fill(flat: Int32Array, lengths: Int32Array): { inputIds: BigInt64Array; attentionMask: BigInt64Array; tokenTypeIds: BigInt64Array; seq: number } {
    const n = lengths.length;
    let seq = 0;
    for (let r = 0; r < n; r++) seq = Math.max(seq, lengths[r]!);
    const size = n * seq;
    if (this.ids.length < size) {
      this.ids = new BigInt64Array(size);
      this.mask = new BigInt64Array(size);
      this.types = new BigInt64Array(size);
    }
    const inputIds = this.ids.subarray(0, size);
    const attentionMask = this.mask.subarray(0, size);
    inputIds.fill(BigInt(this.padId));
    attentionMask.fill(0n);
    // Token ids are small non-negative ints: on a little-endian machine, writing the low 32-bit
    // word of each int64 (the high word stays 0) avoids a BigInt per token.
    const ids32 = LITTLE_ENDIAN ? new Int32Array(inputIds.buffer, inputIds.byteOffset, size * 2) : undefined;
    const mask32 = LITTLE_ENDIAN ? new Int32Array(attentionMask.buffer, attentionMask.byteOffset, size * 2) : undefined;
    let src = 0;
    for (let r = 0; r < n; r++) {
      const len = lengths[r]!;
      const off = r * seq;
      if (ids32 && mask32) {
        for (let t = 0; t < len; t++) {
          ids32[2 * (off + t)] = flat[src + t]!;
          mask32[2 * (off + t)] = 1;
        }
      } else {
        for (let t = 0; t < len; t++) {
          inputIds[off + t] = BigInt(flat[src + t]!);
          attentionMask[off + t] = 1n;
        }
      }
      src += len;
    }
    if (src !== flat.length) throw new Error(`PaddedBatch: ${flat.length} ids for windows of ${src} tokens`);
    return { inputIds, attentionMask, tokenTypeIds: this.types.subarray(0, size), seq };
  }
}
