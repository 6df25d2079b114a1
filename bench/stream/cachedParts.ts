// Parts of the replay benchmarks that run the real processor without the model: an embedder
// that returns cached vectors by text, and a sink that only counts (or keeps) what would be published.
import { createMatrix, type Embedder, type Matrix } from '../../src/core/types.js';
import type { OutStream, Sink } from '../../src/stream/types.js';
import type { EmbeddedDocs } from './tweetEmbeddings.js';

/** The cached vectors, looked up by text: no model runs during the replay. */
export class CachedEmbedder implements Embedder {
  readonly modelId: string;
  readonly dim: number;
  private readonly rowOf = new Map<string, number>();
  constructor(private readonly data: Pick<EmbeddedDocs, 'model' | 'dim' | 'texts' | 'vectors'>) {
    this.modelId = data.model;
    this.dim = data.dim;
    data.texts.forEach((t, i) => {
      if (!this.rowOf.has(t)) this.rowOf.set(t, i);
    });
  }
  async embed(texts: readonly string[]): Promise<Matrix> {
    const m = createMatrix(texts.length, this.dim);
    texts.forEach((t, i) => {
      const r = this.rowOf.get(t);
      if (r === undefined) throw new Error('a text that is not in the cache');
      m.data.set(this.data.vectors.subarray(r * this.dim, (r + 1) * this.dim), i * this.dim);
    });
    return m;
  }
  async close(): Promise<void> {}
}

/** Counts what would be published (and keeps the values of the streams in `keep`). */
export class CountingSink implements Sink {
  readonly name = 'counting';
  readonly counts: Partial<Record<OutStream, number>> = {};
  /** the values of these streams are kept */
  readonly kept: Partial<Record<OutStream, string[]>> = {};
  constructor(private readonly keep: OutStream[] = []) {}
  async send(s: OutStream, messages: { value: string }[]): Promise<void> {
    this.counts[s] = (this.counts[s] ?? 0) + messages.length;
    if (this.keep.includes(s)) (this.kept[s] ??= []).push(...messages.map((m) => m.value));
  }
  async close(): Promise<void> {}
}
