/**
 * Word vectors for the representations (MMR, KeyBERT-inspired): the fit's own embedder on
 * candidate words (and MMR's topic string), each string embedded once per run.
 */
import type { Embedder } from '../core/types.js';

export class WordVectors {
  private readonly cache = new Map<string, Float32Array>();
  /** strings embedded so far (cache misses) */
  embedded = 0;

  /** maxEntries: the cache is emptied when it would hold more (a long-running service) */
  constructor(
    private readonly embedder: Pick<Embedder, 'embed'>,
    private readonly maxEntries = 200_000,
  ) {}

  /** One vector per string, in order; strings not seen before are embedded in one batch. */
  async get(strings: readonly string[]): Promise<Float32Array[]> {
    let missing = [...new Set(strings.filter((s) => !this.cache.has(s)))];
    if (this.cache.size + missing.length > this.maxEntries) {
      this.cache.clear();
      missing = [...new Set(strings)];
    }
    if (missing.length > 0) {
      const m = await this.embedder.embed(missing);
      missing.forEach((s, i) => this.cache.set(s, m.data.slice(i * m.cols, (i + 1) * m.cols)));
      this.embedded += missing.length;
    }
    return strings.map((s) => this.cache.get(s)!);
  }
}

/** Cosine similarity of two vectors (0 when either is zero), in double precision. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
