/**
 * NN-descent's bounded lists, as fixed-size max-heaps in typed arrays (slot 0 = the worst entry
 * kept, so "is this better than what the list holds" is one comparison). `shared`: in
 * SharedArrayBuffers, which worker threads view through `buffers` (the parallel local join).
 */

function alloc(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** Each point's k nearest found so far: index, distance, and whether it is new (not yet joined). */
export class NeighbourLists {
  readonly idx: Int32Array;
  readonly dist: Float32Array;
  readonly isNew: Uint8Array;

  /** `from`: the buffers of lists made in another thread (shared), else new ones */
  constructor(readonly n: number, readonly size: number, o: { shared?: boolean; from?: NeighbourLists['buffers'] } = {}) {
    const f = o.from;
    const sh = o.shared === true;
    this.idx = new Int32Array(f ? f.idx : alloc(n * size * 4, sh));
    this.dist = new Float32Array(f ? f.dist : alloc(n * size * 4, sh));
    this.isNew = new Uint8Array(f ? f.isNew : alloc(n * size, sh));
    if (!f) {
      this.idx.fill(-1);
      this.dist.fill(Infinity);
    }
  }

  get buffers(): { idx: ArrayBufferLike; dist: ArrayBufferLike; isNew: ArrayBufferLike } {
    return { idx: this.idx.buffer, dist: this.dist.buffer, isNew: this.isNew.buffer };
  }

  /**
   * Every list sorted by decreasing (distance, index): a valid heap that depends only on what the
   * list holds, not on the order it came in (the candidates are taken in slot order; after the
   * trees, which threads built which tree must not matter).
   */
  canonical(): void {
    const { n, size: K, idx, dist, isNew } = this;
    for (let base = 0; base < n * K; base += K) {
      for (let a = base + 1; a < base + K; a++) {
        const j = idx[a]!;
        const d = dist[a]!;
        const f = isNew[a]!;
        let b = a;
        while (b > base && (dist[b - 1]! < d || (dist[b - 1] === d && idx[b - 1]! < j))) {
          idx[b] = idx[b - 1]!;
          dist[b] = dist[b - 1]!;
          isNew[b] = isNew[b - 1]!;
          b--;
        }
        idx[b] = j;
        dist[b] = d;
        isNew[b] = f;
      }
    }
  }

  /** The distance a point must beat to enter i's list (Infinity while the list is not full). */
  bound(i: number): number {
    return this.dist[i * this.size]!;
  }

  /**
   * Offers j at distance d to i's list, flagged new; 1 if it went in, 0 if not (too far, or already
   * there). Entries are ordered by (distance, index): a list holds the K first of all that was
   * offered to it, whatever the order of the offers (the trees on several threads rely on it).
   */
  push(i: number, j: number, d: number): number {
    const K = this.size;
    const base = i * K;
    const idx = this.idx;
    const dist = this.dist;
    const isNew = this.isNew;
    if (!(d < dist[base]! || (d === dist[base]! && j < idx[base]!))) return 0;
    for (let t = base, end = base + K; t < end; t++) if (idx[t] === j) return 0;
    let pos = 0;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= K) break;
      let c = l;
      if (l + 1 < K) {
        const dl = dist[base + l]!;
        const dr = dist[base + l + 1]!;
        if (dr > dl || (dr === dl && idx[base + l + 1]! > idx[base + l]!)) c = l + 1;
      }
      const dc = dist[base + c]!;
      if (!(dc > d || (dc === d && idx[base + c]! > j))) break;
      idx[base + pos] = idx[base + c]!;
      dist[base + pos] = dist[base + c]!;
      isNew[base + pos] = isNew[base + c]!;
      pos = c;
    }
    idx[base + pos] = j;
    dist[base + pos] = d;
    isNew[base + pos] = 1;
    return 1;
  }
}

/**
 * Each point's sampled candidates for one round (candidateSampler.ts): `size` slots per point, its
 * sample first, then -1. `from`: the buffer of candidates made in another thread (shared).
 */
export class CandidateLists {
  readonly idx: Int32Array;

  constructor(readonly n: number, readonly size: number, o: { shared?: boolean; from?: ArrayBufferLike } = {}) {
    this.idx = new Int32Array(o.from ?? alloc(n * size * 4, o.shared === true));
    if (!o.from) this.idx.fill(-1);
  }

  /** Copies i's candidates into `out` from `at`; returns how many. */
  collect(i: number, out: Int32Array, at = 0): number {
    const idx = this.idx;
    let m = at;
    for (let t = i * this.size, end = t + this.size; t < end; t++) {
      const j = idx[t]!;
      if (j < 0) break;
      out[m++] = j;
    }
    return m - at;
  }
}
