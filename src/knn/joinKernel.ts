/**
 * NN-descent's local join. On one thread (localJoin, from nnDescent.ts) each update is applied at
 * once. On several (parallelJoin.ts, joinWorker.ts) it runs in two steps: the updates of a chunk
 * of points are generated against the lists as they were at the start of the block (read only), by
 * whichever thread takes the chunk; then the block's updates are applied in chunk order, each
 * range of points' lists by whichever thread takes the range. The result does not depend on which
 * thread ran what, nor on timing: deterministic.
 */
import type { CandidateLists, NeighbourLists } from './neighbourLists.js';
import type { UnitRows } from './unitRows.js';

/** One thread's updates: pairs (p, q) at distance d, in shared memory. */
export interface UpdateBuffer {
  p: Int32Array;
  q: Int32Array;
  d: Float32Array;
}

/** Everything a thread needs to generate updates. */
export interface JoinContext {
  rows: UnitRows;
  lists: NeighbourLists;
  fresh: CandidateLists;
  old: CandidateLists;
  /** this thread's batch of the rows (UnitRows.dotsBatch): where its candidates are copied */
  batch: number;
  /** this thread's marks (localJoin) */
  marks: Marks;
  /** one region per chunk of a block, `chunkCapacity` pairs each */
  updates: UpdateBuffer;
  chunkCapacity: number;
}

/**
 * Marks of the points in p's list (mark[j] === tag), so that "is q listed already" is one read: a
 * listed pair reuses the stored distance (no dot product); most pairs of a late round are, and
 * only the reverse entry can still change. A mark may be stale (p's list changed since): then the
 * search in the list fails and the pair is compared as any other.
 */
export interface Marks {
  mark: Int32Array;
  tag: number;
}

function markList(m: Marks, idx: Int32Array, from: number, K: number): number {
  const tag = ++m.tag;
  const mark = m.mark;
  for (let t = from; t < from + K; t++) {
    const j = idx[t]!;
    if (j >= 0) mark[j] = tag;
  }
  return tag;
}

/** Where q is in the list at [from, from + K), or -1. */
function findIn(idx: Int32Array, from: number, K: number, q: number): number {
  for (let t = from; t < from + K; t++) if (idx[t] === q) return t;
  return -1;
}

/**
 * One thread's local join of a point's candidates, each update applied at once: every new
 * candidate with the other new ones and with the old ones; returns the entries improved. The
 * candidates are at rows.batchIds[at ..]: nf new, then no old (collected there by the caller); the
 * dot products of each new one with those after it are taken in one batch.
 */
export function localJoin(rows: UnitRows, lists: NeighbourLists, at: number, nf: number, no: number, counter: Marks & { dots: number }): number {
  const { batchIds: ids, batchOut: out } = rows;
  const { dist, idx, size: K } = lists;
  const mark = counter.mark;
  const end = at + nf + no;
  let updates = 0;
  let dots = 0;
  for (let a = at; a < at + nf; a++) {
    const p = ids[a]!;
    const pl = p * K;
    const tag = markList(counter, idx, pl, K);
    if (a + 1 < end) rows.dotsBatch(p, a + 1, end - a - 1);
    for (let e = a + 1; e < end; e++) {
      const q = ids[e]!;
      if (q === p) continue;
      const t = mark[q] === tag ? findIn(idx, pl, K, q) : -1;
      if (t < 0) {
        const d = rows.approxOf(out[e]!, p, q);
        dots++;
        if (d < dist[pl]! || d < dist[q * K]!) updates += lists.push(p, q, d) + lists.push(q, p, d);
      } else if (dist[t]! < dist[q * K]!) {
        updates += lists.push(q, p, dist[t]!);
      }
    }
  }
  counter.dots += dots;
  return updates;
}

/** The updates of points [from, to) into chunk c's region; returns [pairs written, distances evaluated]. */
export function generateChunk(c: JoinContext, chunk: number, from: number, to: number): [number, number] {
  const { rows, batch: at } = c;
  const { batchIds: ids, batchOut: out } = rows;
  const { dist, idx, size: K } = c.lists;
  const { p: outP, q: outQ, d: outD } = c.updates;
  const mark = c.marks.mark;
  const start = chunk * c.chunkCapacity;
  let m = start;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const nf = c.fresh.collect(i, ids, at);
    if (nf === 0) continue;
    const end = at + nf + c.old.collect(i, ids, at + nf);
    for (let a = at; a < at + nf; a++) {
      const p = ids[a]!;
      const pl = p * K;
      const tag = markList(c.marks, idx, pl, K);
      if (a + 1 < end) rows.dotsBatch(p, a + 1, end - a - 1);
      for (let e = a + 1; e < end; e++) {
        const q = ids[e]!;
        if (q === p) continue;
        const t = mark[q] === tag ? findIn(idx, pl, K, q) : -1;
        let d: number;
        if (t < 0) {
          d = rows.approxOf(out[e]!, p, q);
          dots++;
          if (!(d < dist[pl]! || d < dist[q * K]!)) continue;
        } else {
          d = dist[t]!;
          if (!(d < dist[q * K]!)) continue;
        }
        outP[m] = p;
        outQ[m] = q;
        outD[m++] = d;
      }
    }
  }
  return [m - start, dots];
}

/**
 * Applies the first `counts[c]` updates of each chunk's region, chunk after chunk, to the lists of
 * points [lo, hi) only; returns the entries improved. Each list is offered its updates in the same
 * order whichever range it falls in, so ranges applied on different threads give exactly the lists
 * (and the count) of one pass over all points.
 */
export function applyChunks(lists: NeighbourLists, u: UpdateBuffer, chunkCapacity: number, counts: Int32Array, nChunks: number, lo: number, hi: number): number {
  const { p, q, d } = u;
  const span = hi - lo;
  let improved = 0;
  for (let c = 0; c < nChunks; c++) {
    const start = c * chunkCapacity;
    for (let e = start, end = start + counts[c]!; e < end; e++) {
      const pe = p[e]!;
      const qe = q[e]!;
      // (x - lo) >>> 0 < span: lo <= x < hi in one comparison
      if ((pe - lo) >>> 0 < span) improved += lists.push(pe, qe, d[e]!);
      if ((qe - lo) >>> 0 < span) improved += lists.push(qe, pe, d[e]!);
    }
  }
  return improved;
}

/** The search ranks by quantised distances (UnitRows.approx): the lists of points [from, to) get their float32 ones. */
export function floatDistances(rows: UnitRows, lists: NeighbourLists, from: number, to: number): void {
  const { size: K, idx, dist } = lists;
  for (let i = from; i < to; i++) {
    for (let t = i * K; t < (i + 1) * K; t++) if (idx[t]! >= 0) dist[t] = rows.distance(i, idx[t]!);
  }
}

/** Most pairs one point's join can generate with `m` candidates of each kind. */
export function pairsPerPoint(m: number): number {
  return (m * (m - 1)) / 2 + m * m;
}
