/**
 * NN-descent's local join in two steps, for several threads (parallelJoin.ts, joinWorker.ts): each
 * thread generates the updates of its share of the points against the lists as they were at the
 * start of the step (read only), then each thread applies every update that concerns the rows it
 * owns, in thread order. Same result whatever the timing of the threads: deterministic. (One
 * thread, nnDescent.ts applies each update at once instead.)
 */
import type { CandidateLists, NeighbourLists } from './neighbourLists.js';
import type { UnitRows } from './unitRows.js';

/** One thread's updates: pairs (p, q) at distance d, in shared memory. */
export interface UpdateBuffer {
  p: Int32Array;
  q: Int32Array;
  d: Float32Array;
}

/** Words of `counts` per thread: updates generated, entries improved, distances evaluated. */
export const COUNT_WORDS = 3;

/** Everything one thread needs for both steps. */
export interface JoinContext {
  rows: UnitRows;
  lists: NeighbourLists;
  fresh: CandidateLists;
  old: CandidateLists;
  freshList: Int32Array;
  oldList: Int32Array;
  /** one per thread */
  updates: UpdateBuffer[];
  /** COUNT_WORDS per thread (shared) */
  counts: Int32Array;
}

/** Step 1 for thread t of T: the updates of points [lo, hi)'s t-th share into updates[t]. */
export function generateStep(c: JoinContext, t: number, T: number, lo: number, hi: number): void {
  const from = lo + Math.floor((t * (hi - lo)) / T);
  const to = lo + Math.floor(((t + 1) * (hi - lo)) / T);
  const { dot, rowBytes } = c.rows;
  const { dist, idx, size: K } = c.lists;
  const { p: outP, q: outQ, d: outD } = c.updates[t]!;
  let m = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const nf = c.fresh.collect(i, c.freshList);
    if (nf === 0) continue;
    const no = c.old.collect(i, c.oldList);
    for (let a = 0; a < nf; a++) {
      const p = c.freshList[a]!;
      const pb = p * rowBytes;
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
          d = 1 - dot(pb, q * rowBytes, rowBytes);
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
  c.counts[t * COUNT_WORDS] = m;
  c.counts[t * COUNT_WORDS + 2]! += dots;
}

/** Step 2 for thread t of T: every thread's updates to the rows t owns, in thread order. */
export function applyStep(c: JoinContext, t: number, T: number): void {
  const n = c.lists.n;
  const rowLo = Math.floor((t * n) / T);
  const rowHi = Math.floor(((t + 1) * n) / T);
  const lists = c.lists;
  let improved = 0;
  for (let u = 0; u < T; u++) {
    const { p, q, d } = c.updates[u]!;
    const m = c.counts[u * COUNT_WORDS]!;
    for (let e = 0; e < m; e++) {
      const a = p[e]!;
      const b = q[e]!;
      if (a >= rowLo && a < rowHi) improved += lists.push(a, b, d[e]!);
      if (b >= rowLo && b < rowHi) improved += lists.push(b, a, d[e]!);
    }
  }
  c.counts[t * COUNT_WORDS + 1]! += improved;
}

/** Most pairs one point's join can generate with `m` candidates of each kind. */
export function pairsPerPoint(m: number): number {
  return (m * (m - 1)) / 2 + m * m;
}
