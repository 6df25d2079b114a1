/**
 * NN-descent's candidates of a round: every list entry is offered to its point, and its reverse
 * (i lists j: i is offered to j), new entries apart from old ones; each point keeps a uniform
 * sample of at most `maxCandidates` distinct offers of each kind (the sampling rate rho of the
 * paper). Sampled new entries of a point's own list become old.
 *
 * The reverse entries are gathered first (per point, as a compressed row list), so that each
 * point's offers are handled together: distinct by a mark per point, sampled by a partial
 * Fisher-Yates shuffle (the same distribution as pynndescent's random-priority heap with its
 * duplicate check, without a scan per offer). Allocated once per graph.
 */
import type { Mulberry32 } from '../core/random.js';
import type { CandidateLists, NeighbourLists } from './neighbourLists.js';

export class CandidateSampler {
  /** reverse entries: those of point j at revIdx[revStart[j] .. revStart[j + 1]), with their new flags */
  private readonly revStart: Int32Array;
  private readonly revIdx: Int32Array;
  private readonly revNew: Uint8Array;
  private readonly cursor: Int32Array;
  /** per point: i + 1 when offered to i as new (resp. old); -(i + 1) when sampled as new */
  private readonly seenNew: Int32Array;
  private readonly seenOld: Int32Array;
  private readonly bufNew: Int32Array;
  private readonly bufOld: Int32Array;

  constructor(n: number, listSize: number) {
    this.revStart = new Int32Array(n + 1);
    this.revIdx = new Int32Array(n * listSize);
    this.revNew = new Uint8Array(n * listSize);
    this.cursor = new Int32Array(n);
    this.seenNew = new Int32Array(n);
    this.seenOld = new Int32Array(n);
    // one point's distinct offers of a kind: its list and its reverse entries (at most n)
    this.bufNew = new Int32Array(n);
    this.bufOld = new Int32Array(n);
  }

  /** Fills `fresh` and `old` (each point's sample first, then -1) from the lists; flags sampled new entries old. */
  sample(lists: NeighbourLists, fresh: CandidateLists, old: CandidateLists, rng: Mulberry32): void {
    const { n, size: K, idx, isNew } = lists;
    const { revStart, revIdx, revNew, seenNew, seenOld, bufNew, bufOld } = this;
    this.reverse(lists);
    // marks of the last round would hide a point's offers that it did not sample then
    seenNew.fill(0);
    seenOld.fill(0);
    const M = fresh.size;
    for (let i = 0; i < n; i++) {
      const tag = i + 1;
      let nn = 0;
      let no = 0;
      for (let t = i * K, end = t + K; t < end; t++) {
        const j = idx[t]!;
        if (j < 0) continue;
        if (isNew[t]) {
          if (seenNew[j] !== tag) bufNew[nn++] = j;
          seenNew[j] = tag;
        } else {
          if (seenOld[j] !== tag) bufOld[no++] = j;
          seenOld[j] = tag;
        }
      }
      for (let r = revStart[i]!, end = revStart[i + 1]!; r < end; r++) {
        const j = revIdx[r]!;
        if (revNew[r]) {
          if (seenNew[j] !== tag) bufNew[nn++] = j;
          seenNew[j] = tag;
        } else {
          if (seenOld[j] !== tag) bufOld[no++] = j;
          seenOld[j] = tag;
        }
      }
      nn = pick(bufNew, nn, M, rng);
      no = pick(bufOld, no, M, rng);
      const base = i * M;
      for (let s = 0; s < M; s++) {
        fresh.idx[base + s] = s < nn ? bufNew[s]! : -1;
        old.idx[base + s] = s < no ? bufOld[s]! : -1;
      }
      for (let s = 0; s < nn; s++) seenNew[bufNew[s]!] = -tag;
      for (let t = i * K, end = t + K; t < end; t++) {
        if (isNew[t] && seenNew[idx[t]!] === -tag) isNew[t] = 0;
      }
    }
  }

  /** The reverse entries of every point, with the flags as they are before this round's sampling. */
  private reverse(lists: NeighbourLists): void {
    const { n, size: K, idx, isNew } = lists;
    const { revStart, revIdx, revNew, cursor } = this;
    revStart.fill(0);
    for (let t = 0; t < n * K; t++) if (idx[t]! >= 0) revStart[idx[t]! + 1]++;
    for (let j = 0; j < n; j++) {
      revStart[j + 1] += revStart[j]!;
      cursor[j] = revStart[j]!;
    }
    for (let i = 0; i < n; i++) {
      for (let t = i * K, end = t + K; t < end; t++) {
        const j = idx[t]!;
        if (j < 0) continue;
        const r = cursor[j]++;
        revIdx[r] = i;
        revNew[r] = isNew[t]!;
      }
    }
  }
}

/** A uniform sample of at most m of the first `count` of buf, moved to its front; returns its size. */
function pick(buf: Int32Array, count: number, m: number, rng: Mulberry32): number {
  if (count <= m) return count;
  for (let s = 0; s < m; s++) {
    const r = s + rng.nextInt(count - s);
    const v = buf[s]!;
    buf[s] = buf[r]!;
    buf[r] = v;
  }
  return m;
}
