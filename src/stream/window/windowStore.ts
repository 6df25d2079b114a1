/**
 * The sliding window: the most recent documents with their embeddings and current topic.
 * Documents are stored in arrival order in a ring of fixed capacity (typed arrays, no per-document
 * allocation for vectors); each document has a sequence number (seq) that never repeats and that
 * the HNSW index uses as its label. The window is bounded by count (the ring) and by bytes (texts,
 * ids and a per-document overhead; the vectors' ring is allocated once): whichever is reached first.
 */
import type { Doc } from '../../core/types.js';

export interface WindowDoc {
  seq: number;
  id: string;
  text: string;
  /** epoch ms: the document's ts, or its arrival time */
  ts: number;
  topic: number;
  probability: number;
  /** where it came from, for snapshots and resume */
  partition: number;
  offset: string;
}

export interface WindowView {
  /** documents oldest first */
  docs: WindowDoc[];
  /** n × dim copy of their embeddings, same order */
  embeddings: Float32Array;
}

export class WindowStore {
  readonly dim: number;
  readonly capacity: number;
  private readonly vectors: Float32Array;
  private readonly slots: (WindowDoc | undefined)[];
  /** slot of the oldest document */
  private head = 0;
  private count = 0;
  private nextSeq = 0;
  private readonly byId = new Map<string, WindowDoc>();
  private readonly bySeq = new Map<number, number>();
  private bytesHeld = 0;

  /** @param maxBytes bound on the documents' texts and ids (UTF-16, as the heap holds them) plus overhead */
  constructor(capacity: number, dim: number, readonly maxBytes = Number.POSITIVE_INFINITY) {
    this.capacity = capacity;
    this.dim = dim;
    this.vectors = new Float32Array(capacity * dim);
    this.slots = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes the documents' texts and ids take (see docBytes). */
  get bytes(): number {
    return this.bytesHeld;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): WindowDoc | undefined {
    return this.byId.get(id);
  }

  vectorOfSeq(seq: number): Float32Array | undefined {
    const slot = this.bySeq.get(seq);
    return slot === undefined ? undefined : this.vectors.subarray(slot * this.dim, (slot + 1) * this.dim);
  }

  docOfSeq(seq: number): WindowDoc | undefined {
    const slot = this.bySeq.get(seq);
    return slot === undefined ? undefined : this.slots[slot];
  }

  /**
   * Adds a document; when the window is full (by count or bytes) the oldest ones leave and are
   * returned (so the caller can delete them from its index). A document whose id is already in the
   * window is not added twice.
   */
  add(doc: Doc, vector: Float32Array, topic: number, probability: number, partition: number, offset: string, now: number, seq?: number): { added?: WindowDoc; evicted: WindowDoc[] } {
    if (this.byId.has(doc.id)) return { evicted: [] };
    const evicted: WindowDoc[] = [];
    const need = docBytes(doc.id, doc.text);
    while (this.count > 0 && (this.count === this.capacity || this.bytesHeld + need > this.maxBytes)) evicted.push(this.evictOldest());
    const slot = (this.head + this.count) % this.capacity;
    const s = seq ?? this.nextSeq;
    this.nextSeq = Math.max(this.nextSeq, s + 1);
    const wd: WindowDoc = { seq: s, id: doc.id, text: doc.text, ts: doc.ts ?? now, topic, probability, partition, offset };
    this.slots[slot] = wd;
    this.vectors.set(vector, slot * this.dim);
    this.byId.set(doc.id, wd);
    this.bySeq.set(s, slot);
    this.count++;
    this.bytesHeld += need;
    return { added: wd, evicted };
  }

  /** Removes documents older than `minTs`, oldest first, and returns them. */
  evictOlderThan(minTs: number): WindowDoc[] {
    const out: WindowDoc[] = [];
    while (this.count > 0 && this.slots[this.head]!.ts < minTs) out.push(this.evictOldest());
    return out;
  }

  private evictOldest(): WindowDoc {
    const d = this.slots[this.head]!;
    this.slots[this.head] = undefined;
    this.byId.delete(d.id);
    this.bySeq.delete(d.seq);
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.bytesHeld -= docBytes(d.id, d.text);
    return d;
  }

  /** Documents oldest first (no copy of vectors). */
  *iterate(): IterableIterator<WindowDoc> {
    for (let i = 0; i < this.count; i++) yield this.slots[(this.head + i) % this.capacity]!;
  }

  /** A consistent copy for a refit or a snapshot: documents oldest first and their vectors. */
  view(): WindowView {
    const docs: WindowDoc[] = [];
    const embeddings = new Float32Array(this.count * this.dim);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      docs.push(this.slots[slot]!);
      embeddings.set(this.vectors.subarray(slot * this.dim, (slot + 1) * this.dim), i * this.dim);
    }
    return { docs, embeddings };
  }

  /** Oldest and newest ts in the window. */
  bounds(): { start: number; end: number } | undefined {
    if (this.count === 0) return undefined;
    let start = Infinity;
    let end = -Infinity;
    for (const d of this.iterate()) {
      if (d.ts < start) start = d.ts;
      if (d.ts > end) end = d.ts;
    }
    return { start, end };
  }
}

/** What one document costs the heap beyond its vector: UTF-16 text and id, and the object around them. */
export function docBytes(id: string, text: string): number {
  return 2 * (id.length + text.length) + 160;
}
