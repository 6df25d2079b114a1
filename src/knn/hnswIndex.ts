/**
 * A typed wrapper around hnswlib-node's HierarchicalNSW in cosine space.
 *
 * Why a wrapper: hnswlib-node takes plain JS arrays (it checks `IsArray`, so a Float32Array is
 * rejected), starts with ef = 10 (poor recall) after every init and every read, cannot grow by
 * itself, and cannot tell how many live (not deleted) points it holds. This class copies each
 * vector into one reused number[] (no allocation per point), sets ef explicitly, doubles the
 * capacity when full, keeps the deleted labels, and writes a small JSON sidecar next to the index
 * file so that `read` can restore all of that.
 *
 * Deleted slots are not reused (hnswlib's allowReplaceDeleted stays off): with it on, hnswlib picks
 * which deleted label to evict, so exact bookkeeping of deleted labels is impossible, and adding a
 * label that is still present as deleted corrupts its label table. The streaming service rebuilds
 * the index at every refit anyway, which drops the deleted points.
 */
import { readFile, writeFile } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import type { HierarchicalNSW as HnswNative } from 'hnswlib-node';

export interface HnswOptions {
  /** graph degree (hnswlib's M); 16 is hnswlib's default and works well for 384-d embeddings */
  M: number;
  /** candidate list size while building; higher = better graph, slower build */
  efConstruction: number;
  /** candidate list size while searching (raised to k when k is larger) */
  efSearch: number;
  /** seed of hnswlib's level generator; with the same insertion order the graph is deterministic */
  seed: number;
}

/** Result of one query: labels and cosine similarities (1 - cosine distance), best first. */
export interface KnnQueryResult {
  labels: Int32Array;
  similarities: Float32Array;
}

interface SidecarMeta {
  format: 'topicstream-hnsw/1';
  dim: number;
  options: HnswOptions;
  deleted: number[];
}

const MAX_LABEL = 0xffffffff;

export class HnswIndex {
  readonly dim: number;
  readonly options: Readonly<HnswOptions>;
  private readonly native: HnswNative;
  private readonly buf: number[];
  private readonly deleted = new Set<number>();
  private efSearchValue: number;

  /**
   * Creates an empty index with room for `capacity` points (it grows when full). The options have
   * no defaults here: the service and `fit` build them from the config (`hnswOptions` in
   * src/pipeline/components.ts), whose schema holds the defaults.
   */
  constructor(dim: number, capacity: number, options: HnswOptions) {
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`HnswIndex: dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.options = { M: options.M, efConstruction: options.efConstruction, efSearch: options.efSearch, seed: options.seed };
    this.native = new hnswlib.HierarchicalNSW('cosine', dim);
    this.buf = new Array<number>(dim).fill(0);
    this.efSearchValue = this.options.efSearch;
    const cap = Math.max(1, Math.ceil(capacity));
    this.native.initIndex(cap, this.options.M, this.options.efConstruction, this.options.seed, false);
    this.native.setEf(this.efSearchValue);
  }

  /** Private constructor path for `read`: wraps an already loaded native index. */
  private static wrap(native: HnswNative, meta: SidecarMeta): HnswIndex {
    const idx = Object.create(HnswIndex.prototype) as HnswIndex;
    const fields = idx as unknown as {
      dim: number; options: HnswOptions; native: HnswNative; buf: number[]; deleted: Set<number>; efSearchValue: number;
    };
    fields.dim = meta.dim;
    fields.options = { ...meta.options };
    fields.native = native;
    fields.buf = new Array<number>(meta.dim).fill(0);
    fields.deleted = new Set(meta.deleted);
    fields.efSearchValue = fields.options.efSearch;
    native.setEf(fields.efSearchValue);
    return idx;
  }

  /** Number of live (not deleted) points. */
  get count(): number {
    return this.native.getCurrentCount() - this.deleted.size;
  }

  /** Number of slots (live + deleted + free) before the next resize. */
  get capacity(): number {
    return this.native.getMaxElements();
  }

  get efSearch(): number {
    return this.efSearchValue;
  }

  set efSearch(ef: number) {
    if (!Number.isInteger(ef) || ef <= 0) throw new Error(`HnswIndex: efSearch must be a positive integer, got ${ef}`);
    this.efSearchValue = ef;
    this.native.setEf(ef);
  }

  /** True if the label was added and not deleted. */
  isDeleted(label: number): boolean {
    return this.deleted.has(label);
  }

  /**
   * Adds (or replaces) the vector of `label`. Vectors need not be normalised (cosine space
   * normalises them). Grows the index (doubling) when it is full and no deleted slot is free.
   */
  add(label: number, vector: ArrayLike<number>, offset = 0): void {
    checkLabel(label);
    this.fill(vector, offset);
    // hnswlib updates an existing label in place (and revives it if it was deleted); only a new
    // label takes a slot.
    if (this.native.getCurrentCount() >= this.native.getMaxElements()) {
      this.native.resizeIndex(Math.max(16, this.native.getMaxElements() * 2));
    }
    this.native.addPoint(this.buf, label, false);
    this.deleted.delete(label);
  }

  /** Adds every row of a row-major matrix with labels firstLabel, firstLabel+1, ... */
  addRows(data: Float32Array, rows: number, firstLabel = 0): void {
    if (data.length !== rows * this.dim) throw new Error(`HnswIndex.addRows: ${data.length} values is not ${rows}x${this.dim}`);
    const need = this.native.getCurrentCount() + rows;
    if (need > this.native.getMaxElements()) this.native.resizeIndex(need);
    for (let i = 0; i < rows; i++) this.add(firstLabel + i, data, i * this.dim);
  }

  /** Marks a point deleted: it is no longer returned by queries (it keeps its slot until a rebuild). */
  markDelete(label: number): void {
    if (this.deleted.has(label)) return;
    this.native.markDelete(label); // throws "Label not found" for unknown labels
    this.deleted.add(label);
  }

  /**
   * The k nearest live points to `vector`: labels and cosine similarities, best first. May return
   * fewer than k when the index holds fewer live points.
   */
  knnQuery(vector: ArrayLike<number>, k: number, offset = 0): KnnQueryResult {
    const live = this.count;
    const kk = Math.min(k, live);
    if (kk <= 0) return { labels: new Int32Array(0), similarities: new Float32Array(0) };
    this.fill(vector, offset);
    if (kk > this.efSearchValue) this.native.setEf(kk);
    const res = this.native.searchKnn(this.buf, kk);
    if (kk > this.efSearchValue) this.native.setEf(this.efSearchValue);
    const m = res.neighbors.length;
    const labels = new Int32Array(m);
    const similarities = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      labels[i] = res.neighbors[i]!;
      similarities[i] = 1 - res.distances[i]!;
    }
    return { labels, similarities };
  }

  /** Raw search into the caller's arrays (used by buildKnnGraph); returns the number found. */
  searchInto(vector: ArrayLike<number>, offset: number, k: number, outLabels: Int32Array, outDist: Float32Array): number {
    this.fill(vector, offset);
    const res = this.native.searchKnn(this.buf, k);
    const m = Math.min(res.neighbors.length, outLabels.length);
    for (let i = 0; i < m; i++) {
      outLabels[i] = res.neighbors[i]!;
      outDist[i] = res.distances[i]!;
    }
    return m;
  }

  /** Writes the index to `file` and its metadata (dim, options, deleted labels) to `file.meta.json`. */
  async write(file: string): Promise<void> {
    await this.native.writeIndex(file);
    const meta: SidecarMeta = {
      format: 'topicstream-hnsw/1',
      dim: this.dim,
      options: { ...this.options, efSearch: this.efSearchValue },
      deleted: [...this.deleted],
    };
    await writeFile(`${file}.meta.json`, JSON.stringify(meta));
  }

  /** Reads an index written by `write`. */
  static async read(file: string): Promise<HnswIndex> {
    let meta: SidecarMeta;
    try {
      meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as SidecarMeta;
    } catch (e) {
      throw new Error(`HnswIndex.read: cannot read metadata ${file}.meta.json: ${(e as Error).message}`);
    }
    if (meta.format !== 'topicstream-hnsw/1') throw new Error(`HnswIndex.read: ${file}.meta.json has unknown format ${String(meta.format)}`);
    const native = new hnswlib.HierarchicalNSW('cosine', meta.dim);
    await native.readIndex(file, false);
    return HnswIndex.wrap(native, meta);
  }

  private fill(vector: ArrayLike<number>, offset: number): void {
    const buf = this.buf;
    const dim = this.dim;
    if (vector.length < offset + dim) throw new Error(`HnswIndex: vector has ${vector.length - offset} values from offset ${offset}, expected ${dim}`);
    for (let j = 0; j < dim; j++) buf[j] = vector[offset + j]!;
  }

}

function checkLabel(label: number): void {
  if (!Number.isInteger(label) || label < 0 || label > MAX_LABEL) throw new Error(`HnswIndex: label must be an integer in [0, 2^32), got ${label}`);
}
