/**
 * The window's HNSW index and the k-NN vote on it. Evicted documents are only marked deleted in
 * HNSW; once deleted points reach half the live ones (and at least 1,024) a fresh index is built
 * from the window in a worker thread (indexBuilder.ts) and swapped in between two batches, with
 * the documents added and evicted meanwhile applied to it. This happens in every role (followers
 * never refit, so this is what bounds their memory). Slots never exceed 2 × (window + 1,024): if
 * the index fills up to that before the build is back, it is rebuilt inline (a pause, but memory
 * stays bounded).
 */
import { HnswIndex, type HnswOptions } from '../../knn/hnswIndex.js';
import { KnnAssigner, type Assignment } from './knnAssigner.js';
import { buildIndexInWorker } from './indexBuilder.js';
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
  /** a background build failed (it is tried again at the next batch while the index stays large) */
  onBuildError?: (e: unknown) => void;
}

/** Index rebuilds so far: in the background (swapped in) and inline (the background one came too late). */
export interface IndexRebuilds {
  background: number;
  inline: number;
}

export class WindowIndex {
  private index: HnswIndex;
  private assigner: KnnAssigner;
  private readonly initialCapacity: number;
  /** labels added to the current index (live and deleted: its slots in use) */
  private slots = 0;
  /** bumped by every swap: a background build started before it is stale */
  private generation = 0;
  private building = false;
  /** after a failed build, the next starts only once the index holds this many slots */
  private retryAtSlots = 0;
  private built: { index: HnswIndex; seqs: Float64Array; generation: number } | null = null;
  readonly rebuilds: IndexRebuilds = { background: 0, inline: 0 };

  constructor(private readonly window: WindowStore, private readonly opts: WindowIndexOptions) {
    this.initialCapacity = Math.min(window.capacity + 1024, 1 << 16);
    this.index = new HnswIndex(window.dim, this.initialCapacity, opts.hnsw);
    this.assigner = this.newAssigner();
  }

  get capacity(): number {
    return this.index.capacity;
  }

  /** a background build is running */
  get buildPending(): boolean {
    return this.building;
  }

  get count(): number {
    return this.index.count;
  }

  add(seq: number, vec: Float32Array): void {
    // full, and doubling would pass the bound: the background build is late
    if (this.slots >= this.index.capacity && 2 * this.index.capacity > this.maxSlots()) {
      this.swap(this.buildInline(seq));
      this.rebuilds.inline++;
    }
    this.index.add(seq, vec);
    this.slots++;
  }

  remove(seq: number): void {
    this.index.markDelete(seq);
  }

  /** Loads documents with their vectors (n × dim, same order) into the window and the index (a snapshot, a fitted model). */
  load(docs: readonly WindowDoc[], vectors: Float32Array): void {
    const dim = this.window.dim;
    this.generation++; // a background build of the window before this is stale
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

  /**
   * Between two batches: swaps in a finished background build, or starts one once deleted points
   * reach half the live ones (at least 1,024).
   */
  maintain(): void {
    if (this.built) {
      const b = this.built;
      this.built = null;
      if (b.generation === this.generation) {
        this.swap(this.catchUp(b.index, b.seqs));
        this.rebuilds.background++;
      }
    } else if (!this.building && this.slots >= this.retryAtSlots && this.slots - this.window.size >= Math.max(1024, this.window.size / 2)) {
      this.startBuild();
    }
  }

  /** The most slots an index may have: 2 × (the window's capacity + 1,024); a built index gets them all. */
  private maxSlots(): number {
    return 2 * (this.window.capacity + 1024);
  }

  private startBuild(): void {
    const dim = this.window.dim;
    const seqs = new Float64Array(this.window.size);
    const vectors = new Float32Array(this.window.size * dim);
    let i = 0;
    for (const d of this.window.iterate()) {
      seqs[i] = d.seq;
      vectors.set(this.window.vectorOfSeq(d.seq)!, i * dim);
      i++;
    }
    const generation = this.generation;
    this.building = true;
    buildIndexInWorker({ seqs, vectors, dim, capacity: this.maxSlots(), hnsw: this.opts.hnsw })
      .then((index) => {
        this.built = { index, seqs, generation };
      })
      .catch((e: unknown) => {
        // not again at every batch: after another 1,024 documents (a full /tmp stays full for a while)
        this.retryAtSlots = this.slots + 1024;
        this.opts.onBuildError?.(e);
      })
      .finally(() => {
        this.building = false;
      });
  }

  /** A built index brought up to the window: documents evicted since its snapshot deleted, those added since added. */
  private catchUp(index: HnswIndex, seqs: Float64Array): { index: HnswIndex; slots: number } {
    const last = seqs.length ? seqs[seqs.length - 1]! : -1;
    for (const seq of seqs) if (!this.window.docOfSeq(seq)) index.markDelete(seq);
    let slots = seqs.length;
    for (const d of this.window.iterate()) {
      if (d.seq <= last) continue;
      index.add(d.seq, this.window.vectorOfSeq(d.seq)!);
      slots++;
    }
    return { index, slots };
  }

  /** The window's index built here and now (without `skip`, about to be added). */
  private buildInline(skip: number): { index: HnswIndex; slots: number } {
    const idx = new HnswIndex(this.window.dim, this.maxSlots(), this.opts.hnsw);
    let slots = 0;
    for (const d of this.window.iterate()) {
      if (d.seq === skip) continue;
      idx.add(d.seq, this.window.vectorOfSeq(d.seq)!);
      slots++;
    }
    return { index: idx, slots };
  }

  private swap(next: { index: HnswIndex; slots: number }): void {
    this.index = next.index;
    this.slots = next.slots;
    this.retryAtSlots = 0;
    this.generation++;
    this.assigner = this.newAssigner();
  }

  private newAssigner(topicOf: (seq: number) => number | undefined = (seq) => this.window.docOfSeq(seq)?.topic): KnnAssigner {
    return new KnnAssigner(this.index, topicOf, this.opts.k, this.opts.minSimilarity, this.opts.minShare);
  }
}
