/**
 * NN-descent's starting graph: random-projection trees (angular, as pynndescent builds them for
 * cosine: each node splits its points by the hyperplane through the origin halfway between two of
 * them), and every pair of points sharing a leaf offered to both their lists. Only the leaves are
 * used; no tree is kept.
 */
import { Mulberry32 } from '../core/random.js';
import type { NeighbourLists } from './neighbourLists.js';
import type { UnitRows } from './unitRows.js';


/** The random stream of tree u: each tree its own, whichever thread builds it. */
export function treeRng(seed: number, u: number): Mulberry32 {
  return new Mulberry32((seed ^ Math.imul(u + 1, 0x9e3779b9)) | 0);
}

/** Work arrays of the trees, allocated once for all of them. */
export class RpForestSeeder {
  private readonly perm: Int32Array;
  private readonly side: Uint8Array;
  private readonly rest: Int32Array;
  private readonly stackLo: Int32Array;
  private readonly stackHi: Int32Array;
  /** distance evaluations in leaves so far */
  distances = 0;

  private rng: Mulberry32 = new Mulberry32(0);
  private readonly q16: Int16Array;

  /** `scratch`: the thread's scratch row of `rows` (for the hyperplanes) */
  constructor(private readonly rows: UnitRows, private lists: NeighbourLists, private readonly leafSize: number, private readonly scratch = 0) {
    const n = rows.n;
    this.perm = new Int32Array(n);
    this.side = new Uint8Array(n);
    this.rest = new Int32Array(n);
    // depth-first over ranges: never more than n pending
    this.stackLo = new Int32Array(n + 2);
    this.stackHi = new Int32Array(n + 2);
    this.q16 = rows.q16();
    if (rows.batch < leafSize) throw new Error(`RpForestSeeder: the rows' batch (${rows.batch}) is smaller than a leaf (${leafSize})`);
  }

  /** Builds one tree (drawing from `rng`) and joins the points of each of its leaves (into `lists`, default the constructor's). */
  tree(rng: Mulberry32, lists: NeighbourLists = this.lists): void {
    this.rng = rng;
    this.lists = lists;
    const { perm, stackLo, stackHi } = this;
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    let sp = 0;
    stackLo[sp] = 0;
    stackHi[sp++] = perm.length;
    while (sp > 0) {
      const lo = stackLo[--sp]!;
      const hi = stackHi[sp]!;
      if (hi - lo <= this.leafSize) {
        this.joinLeaf(lo, hi);
        continue;
      }
      const mid = this.split(lo, hi);
      stackLo[sp] = lo;
      stackHi[sp++] = mid;
      stackLo[sp] = mid;
      stackHi[sp++] = hi;
    }
  }

  /** Every pair of the leaf perm[lo, hi): the dot products of each point with those after it in one batch (UnitRows.dotsBatch). */
  private joinLeaf(lo: number, hi: number): void {
    const { perm, rows, lists } = this;
    const ids = rows.batchIds;
    const dots = rows.batchOut;
    const base = this.scratch * rows.batchStride - lo;
    for (let a = lo; a < hi; a++) ids[base + a] = perm[a]!;
    for (let a = lo; a < hi - 1; a++) {
      const p = perm[a]!;
      rows.dotsBatch(p, base + a + 1, hi - a - 1);
      for (let e = base + a + 1; e < base + hi; e++) {
        const q = ids[e]!;
        const d = rows.approxOf(dots[e]!, p, q);
        // <=: a tie goes to the smaller index (NeighbourLists.push)
        if (d <= lists.bound(p) || d <= lists.bound(q)) {
          lists.push(p, q, d);
          lists.push(q, p, d);
        }
      }
    }
    this.distances += ((hi - lo) * (hi - lo - 1)) / 2;
  }

  /** Splits perm[lo, hi) in place, one side first; returns where the second side starts (never lo or hi). */
  private split(lo: number, hi: number): number {
    const { perm, side, rows, rng } = this;
    const size = hi - lo;
    const a = perm[lo + rng.nextInt(size)]!;
    let b = perm[lo + rng.nextInt(size - 1)]!;
    if (b === a) b = perm[hi - 1]!;
    const mem = rows.f32;
    const s = rows.stride;
    const plane = rows.scratch(this.scratch);
    let norm = 0;
    for (let t = 0; t < s; t++) {
      const v = mem[a * s + t]! - mem[b * s + t]!;
      mem[plane + t] = v;
      norm += v * v;
    }
    // the margins from the quantised rows (UnitRows.approx): only their signs matter
    let left = norm > 1e-12 && rows.quantiseScratch(this.scratch, this.q16) ? this.sides(lo, hi) : 0;
    if (left === 0 || left === size) {
      // all on one side (identical points): halves at random
      for (let u = lo; u < hi; u++) side[u] = 0;
      left = size >> 1;
      for (let u = lo; u < lo + left; u++) side[u] = 1;
      for (let u = hi - 1; u > lo; u--) {
        const v = lo + rng.nextInt(u - lo + 1);
        const tmp = side[u]!;
        side[u] = side[v]!;
        side[v] = tmp;
      }
    }
    // side-1 points first, each side in its order (both writes made, one cursor moved: no branch)
    const rest = this.rest;
    let w = lo;
    let r = 0;
    for (let u = lo; u < hi; u++) {
      const i = perm[u]!;
      const l = side[u]!;
      perm[w] = i;
      rest[r] = i;
      w += l;
      r += 1 - l;
    }
    perm.set(rest.subarray(0, r), w);
    return w;
  }

  /** side[u] = 1 for the points of perm[lo, hi) on the positive side of the hyperplane in the scratch row (a tie at random); returns how many. */
  private sides(lo: number, hi: number): number {
    const { perm, side, rows, rng } = this;
    // in batches of the thread's dot products with the quantised scratch row (row n + scratch)
    const ids = rows.batchIds;
    const dots = rows.batchOut;
    const base = this.scratch * rows.batchStride;
    const step = rows.batchStride - 4;
    let left = 0;
    for (let from = lo; from < hi; from += step) {
      const to = Math.min(hi, from + step);
      for (let u = from; u < to; u++) ids[base + u - from] = perm[u]!;
      rows.dotsBatch(rows.n + this.scratch, base, to - from);
      for (let u = from; u < to; u++) {
        const m = dots[base + u - from]!;
        // no branch on the sign (half the points go each way: a branch would be mispredicted)
        let l = +(m > 0);
        if (m === 0) l = rng.nextUint32() & 1;
        side[u] = l;
        left += l;
      }
    }
    return left;
  }
}
