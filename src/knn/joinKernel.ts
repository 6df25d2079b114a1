/**
 * NN-descent's local join in two steps, for several threads (parallelJoin.ts, joinWorker.ts): the
 * updates of a chunk of points are generated against the lists as they were at the start of the
 * block (read only), by whichever thread takes the chunk; then the calling thread applies every
 * chunk's updates in chunk order. The result does not depend on which thread ran what, nor on
 * timing: deterministic. (On one thread, nnDescent.ts applies each update at once instead.)
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
  freshList: Int32Array;
  oldList: Int32Array;
  /** one region per chunk of a block, `chunkCapacity` pairs each */
  updates: UpdateBuffer;
  chunkCapacity: number;
}

/** The updates of points [from, to) into chunk c's region; returns [pairs written, distances evaluated]. */
export function generateChunk(c: JoinContext, chunk: number, from: number, to: number): [number, number] {
  const { dotQ, qBase, qRowBytes, invScale } = c.rows;
  const { dist, idx, size: K } = c.lists;
  const { p: outP, q: outQ, d: outD } = c.updates;
  const start = chunk * c.chunkCapacity;
  let m = start;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const nf = c.fresh.collect(i, c.freshList);
    if (nf === 0) continue;
    const no = c.old.collect(i, c.oldList);
    for (let a = 0; a < nf; a++) {
      const p = c.freshList[a]!;
      const pb = qBase + p * qRowBytes;
      const ps = invScale[p]!;
      const pl = p * K;
      for (let b = a + 1 - nf; b < no; b++) {
        const q = b < 0 ? c.freshList[nf + b]! : c.oldList[b]!;
        if (q === p) continue;
        let known = false;
        let d = 0;
        for (let s = pl; s < pl + K; s++) {
          if (idx[s] === q) {
            d = dist[s]!;
            known = true;
            break;
          }
        }
        if (!known) {
          d = 1 - dotQ(pb, qBase + q * qRowBytes, qRowBytes) * ps * invScale[q]!;
          dots++;
          if (d < 0) d = 0;
          if (!(d < dist[pl]! || d < dist[q * K]!)) continue;
        } else if (!(d < dist[q * K]!)) continue;
        outP[m] = p;
        outQ[m] = q;
        outD[m++] = d;
      }
    }
  }
  return [m - start, dots];
}

/** Applies the first `counts[c]` updates of each chunk's region, chunk after chunk; returns the entries improved. */
export function applyChunks(lists: NeighbourLists, u: UpdateBuffer, chunkCapacity: number, counts: Int32Array, nChunks: number): number {
  const { p, q, d } = u;
  let improved = 0;
  for (let c = 0; c < nChunks; c++) {
    const start = c * chunkCapacity;
    for (let e = start, end = start + counts[c]!; e < end; e++) {
      improved += lists.push(p[e]!, q[e]!, d[e]!) + lists.push(q[e]!, p[e]!, d[e]!);
    }
  }
  return improved;
}

/** Most pairs one point's join can generate with `m` candidates of each kind. */
export function pairsPerPoint(m: number): number {
  return (m * (m - 1)) / 2 + m * m;
}
