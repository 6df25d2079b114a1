/**
 * The window's HNSW index and the k-NN vote on it. Evicted documents are only marked deleted in
 * HNSW; the index is rebuilt from the window once deleted points outnumber live ones, in every role
 * (followers never refit, so this is what bounds their memory).
 */
import { HnswIndex, type HnswOptions } from '../../knn/hnswIndex.js';
import { KnnAssigner, type Assignment } from './knnAssigner.js';
import type { WindowDoc, WindowStore } from '../window/windowStore.js';

/** One window document near a query (search API). */
export interface NearDoc {
  doc: WindowDoc;
  similarity: number;
}

export interface WindowIndexOptions {
  hnsw: HnswOptions;
  k: number;
  minSimilarity: number;
  minShare: number;
}

export class WindowIndex {
  private index: HnswIndex;
  private assigner: KnnAssigner;
  private readonly initialCapacity: number;

  constructor(private readonly window: WindowStore, private readonly opts: WindowIndexOptions) {
    this.initialCapacity = Math.min(window.capacity + 1024, 1 << 16);
    this.index = new HnswIndex(window.dim, this.initialCapacity, opts.hnsw);
    this.assigner = this.newAssigner();
  }

  get capacity(): number {
    return this.index.capacity;
  }

  get count(): number {
    return this.index.count;
  }

  add(seq: number, vec: Float32Array): void {
    this.index.add(seq, vec);
  }

  remove(seq: number): void {
    this.index.markDelete(seq);
  }

  /** Loads documents with their vectors (n × dim, same order) into the window and the index (a snapshot, a fitted model). */
  load(docs: readonly WindowDoc[], vectors: Float32Array): void {
    const dim = this.window.dim;
    docs.forEach((d, i) => {
      const vec = vectors.subarray(i * dim, (i + 1) * dim);
      const { added, evicted } = this.window.add({ id: d.id, text: d.text, ts: d.ts }, vec, d.topic, d.probability, d.partition, d.offset, d.ts, d.seq);
      for (const e of evicted) this.remove(e.seq);
      if (added) this.add(added.seq, vec);
    });
  }

  /** The k-NN vote, each neighbour voting for its current topic in the window. */
  assign(vec: Float32Array): Assignment {
    return this.assigner.assign(vec);
  }

  /** A k-NN vote with another view of the neighbours' topics (a refit plan's); build once, use for many. */
  assignerWith(topicOf: (seq: number) => number | undefined): (vec: Float32Array) => Assignment {
    const a = this.newAssigner(topicOf);
    return (vec) => a.assign(vec);
  }

  /** The window documents nearest to a vector, best first. */
  nearest(vec: Float32Array, k: number): NearDoc[] {
    const r = this.index.knnQuery(vec, k);
    const out: NearDoc[] = [];
    for (let i = 0; i < r.labels.length; i++) {
      const doc = this.window.docOfSeq(r.labels[i]!);
      if (doc) out.push({ doc, similarity: r.similarities[i]! });
    }
    return out;
  }

  rebuildIfSparse(): void {
    if (this.index.capacity < 2 * (this.window.size + 1024)) return;
    const idx = new HnswIndex(this.window.dim, this.initialCapacity, this.opts.hnsw);
    for (const d of this.window.iterate()) idx.add(d.seq, this.window.vectorOfSeq(d.seq)!);
    this.index = idx;
    this.assigner = this.newAssigner();
  }

  private newAssigner(topicOf: (seq: number) => number | undefined = (seq) => this.window.docOfSeq(seq)?.topic): KnnAssigner {
    return new KnnAssigner(this.index, topicOf, this.opts.k, this.opts.minSimilarity, this.opts.minShare);
  }
}
