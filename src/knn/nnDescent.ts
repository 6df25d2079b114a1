/**
 * The k-NN graph by NN-descent (Dong, Moses & Li 2011, "Efficient k-nearest neighbor graph
 * construction for generic similarity measures"), in the form pynndescent runs it: the leaves of a
 * few random-projection trees seed every point's list (rpTrees.ts), then rounds of local joins (a
 * neighbour of a neighbour is probably a neighbour) over sampled new and old candidates, until a
 * round improves almost nothing. Cosine distance on rows L2-normalised once (1 - dot; dot products
 * in a WebAssembly SIMD kernel, simdDot.ts); every list a heap in typed arrays allocated once per
 * build (neighbourLists.ts).
 *
 * Same layout as buildKnnGraph (HNSW): row i = i itself at distance 0, then its k-1 nearest other
 * points by increasing cosine distance; distances <= SAME_POINT_DISTANCE are reported as 0.
 * Deterministic for a given seed and thread count (each tree its own Mulberry32 stream, the rounds
 * the seed's; with helper threads, parallelJoin.ts, the work is tickets whose outputs are merged in
 * order, so timing does not matter).
 */
import type { KnnGraph, Matrix, Progress } from '../core/types.js';
import { Mulberry32 } from '../core/random.js';
import { SAME_POINT_DISTANCE } from './buildKnnGraph.js';
import { CandidateSampler } from './candidateSampler.js';
import { floatDistances, localJoin } from './joinKernel.js';
import { CandidateLists, NeighbourLists } from './neighbourLists.js';
import { ParallelJoin } from './parallelJoin.js';
import { RpForestSeeder, treeRng } from './rpTrees.js';
import { UnitRows } from './unitRows.js';

/**
 * Every parameter is passed (the config's knn.nnDescent; the module has no defaults of its own).
 * null = pynndescent's rule for the size of the input, given next to each.
 */
export interface NnDescentOptions {
  seed: number;
  /** random-projection trees of the initial graph; null: max(3, min(12, round(2 log10 n))); 0 = random start */
  nTrees: number | null;
  /** points per leaf of those trees (every pair in a leaf is compared); null: max(60, min(256, 5k)) */
  leafSize: number | null;
  /** new (and old) candidates sampled per point per round; null: min(60, 2k) (pynndescent: min(60, k)) */
  maxCandidates: number | null;
  /** most rounds of local joins; null: max(5, round(log2 n)) */
  nIters: number | null;
  /** stop when a round improves fewer than delta * k * n list entries */
  delta: number;
  /** threads of the local joins (the calling one and threads - 1 helpers); 1 = this thread only */
  threads: number;
}

export interface NnDescentStats {
  /** distance evaluations in the trees' leaves (or of the exact scan), and in the local joins */
  treeDistances: number;
  joinDistances: number;
  /** pairs of the local joins already listed (their stored distance used; the batch computes the dot product anyway; counted on one thread only) */
  joinReused: number;
  /** list entries improved per round of local joins */
  updates: number[];
  /** true when the WebAssembly SIMD dot kernel ran */
  simd: boolean;
  /** true when the input was small enough to compare every pair */
  exact: boolean;
  /** threads that ran the local joins */
  threads: number;
  /** the parameters after the null rules */
  nTrees: number;
  leafSize: number;
  maxCandidates: number;
  nIters: number;
}

/** Up to max(8k, 200) points the graph is exact (every pair): cheap, and nothing for sampling to gain. */
const EXACT_POINTS_PER_K = 8;
const EXACT_MIN_POINTS = 200;
/** Below this many points the local joins stay on one thread (starting helpers costs more). */
const PARALLEL_MIN_POINTS = 4000;

/** The k-NN graph (self first, cosine distances) of the rows of `x`, by NN-descent. */
export function nnDescentKnn(x: Matrix, k: number, opts: NnDescentOptions, onProgress?: Progress): KnnGraph {
  return nnDescentKnnWithStats(x, k, opts, onProgress).graph;
}

export function nnDescentKnnWithStats(x: Matrix, k: number, opts: NnDescentOptions, onProgress?: Progress): { graph: KnnGraph; stats: NnDescentStats } {
  const n = x.rows;
  if (!Number.isInteger(k) || k < 1) throw new Error(`nnDescentKnn: k must be a positive integer, got ${k}`);
  if (n < k) throw new Error(`nnDescentKnn: ${n} points cannot have ${k} neighbours each (self included); need at least k points`);
  if (!(opts.delta >= 0)) throw new Error(`nnDescentKnn: delta must be >= 0, got ${opts.delta}`);
  const stats: NnDescentStats = {
    treeDistances: 0,
    joinDistances: 0,
    joinReused: 0,
    updates: [],
    simd: false,
    exact: n <= Math.max(EXACT_POINTS_PER_K * k, EXACT_MIN_POINTS),
    threads: 1,
    nTrees: opts.nTrees ?? Math.max(3, Math.min(12, Math.round(2 * Math.log10(n)))),
    leafSize: Math.max(2, opts.leafSize ?? Math.max(60, Math.min(256, 5 * k))),
    maxCandidates: opts.maxCandidates ?? Math.min(60, 2 * k),
    nIters: opts.nIters ?? Math.max(5, Math.round(Math.log2(n))),
  };
  stats.threads = !stats.exact && k > 1 && n >= PARALLEL_MIN_POINTS ? Math.max(1, Math.floor(opts.threads)) : 1;
  const shared = stats.threads > 1;
  // a thread's batch of dot products holds a leaf's points, or a point's candidates (both kinds)
  const rows = UnitRows.of(x, { shared, scratchRows: stats.threads, batch: Math.max(stats.leafSize, 2 * stats.maxCandidates) });
  stats.simd = rows.simd;
  const lists = new NeighbourLists(n, k - 1, { shared });
  const total = stats.exact ? 1 : stats.nTrees + stats.nIters;
  if (k > 1 && stats.exact) {
    stats.treeDistances = exactLists(rows, lists);
  } else if (k > 1) {
    const rng = new Mulberry32(opts.seed);
    const fresh = new CandidateLists(n, stats.maxCandidates, { shared });
    const old = new CandidateLists(n, stats.maxCandidates, { shared });
    // helpers start now and take tickets (trees first) as soon as they are up
    const join = shared ? new ParallelJoin(rows, lists, fresh, old, stats.threads, { seed: opts.seed, leafSize: stats.leafSize }) : null;
    try {
      if (join) {
        stats.treeDistances = join.trees(stats.nTrees);
        onProgress?.(stats.nTrees, total);
      } else {
        // the same lists as on several threads: a list keeps the first of what the trees offered it
        const seeder = new RpForestSeeder(rows, lists, stats.leafSize);
        for (let u = 0; u < stats.nTrees; u++) {
          seeder.tree(treeRng(opts.seed, u));
          onProgress?.(u + 1, total);
        }
        stats.treeDistances = seeder.distances;
      }
      lists.canonical();
      fillAtRandom(rows, lists, rng);
      const rounds = { lists, fresh, old, sampler: new CandidateSampler(n, lists.size), rng, stats, stopAt: opts.delta * k * n, onRound: (r: number) => onProgress?.(stats.nTrees + r, total) };
      if (join) descendParallel(rounds, join);
      else descend(rows, rounds);
    } finally {
      join?.close();
    }
  }
  const graph = toGraph(lists, k);
  onProgress?.(total, total);
  return { graph, stats };
}

/** The state of the rounds of local joins. */
interface Rounds {
  lists: NeighbourLists;
  fresh: CandidateLists;
  old: CandidateLists;
  sampler: CandidateSampler;
  rng: Mulberry32;
  stats: NnDescentStats;
  /** stop after a round that improves at most this many entries */
  stopAt: number;
  onRound: (round: number) => void;
}

/** Rounds of local joins on this thread, each update applied at once; then the lists' float32 distances. */
function descend(rows: UnitRows, r: Rounds): void {
  const { lists, fresh, old, stats } = r;
  const counter = { dots: 0, tag: 0, mark: new Int32Array(lists.n) };
  for (let round = 1; round <= stats.nIters; round++) {
    r.sampler.sample(lists, fresh, old, r.rng);
    let updates = 0;
    let pairs = 0;
    const dots = counter.dots;
    for (let i = 0; i < lists.n; i++) {
      const nf = fresh.collect(i, rows.batchIds);
      if (nf === 0) continue;
      const no = old.collect(i, rows.batchIds, nf);
      updates += localJoin(rows, lists, 0, nf, no, counter);
      pairs += (nf * (nf - 1)) / 2 + nf * no;
    }
    stats.joinDistances += counter.dots - dots;
    stats.joinReused += pairs - (counter.dots - dots);
    stats.updates.push(updates);
    r.onRound(round);
    if (updates <= r.stopAt) break;
  }
  floatDistances(rows, lists, 0, lists.n);
}

/** Rounds of local joins on several threads (parallelJoin.ts); then the lists' float32 distances. */
function descendParallel(r: Rounds, join: ParallelJoin): void {
  for (let round = 1; round <= r.stats.nIters; round++) {
    r.sampler.sample(r.lists, r.fresh, r.old, r.rng);
    const { improved, dots } = join.round();
    r.stats.joinDistances += dots;
    r.stats.updates.push(improved);
    r.onRound(round);
    if (improved <= r.stopAt) break;
  }
  join.floatDistances();
}

/** Every pair (small inputs); returns the distance evaluations. */
function exactLists(rows: UnitRows, lists: NeighbourLists): number {
  const n = rows.n;
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      const d = rows.distance(p, q);
      lists.push(p, q, d);
      lists.push(q, p, d);
    }
  }
  return (n * (n - 1)) / 2;
}

/** Lists the trees left short get random points (n > k here, so this ends). */
function fillAtRandom(rows: UnitRows, lists: NeighbourLists, rng: Mulberry32): void {
  for (let i = 0; i < rows.n; i++) {
    while (lists.idx[i * lists.size]! < 0) {
      const j = rng.nextInt(rows.n);
      if (j !== i) lists.push(i, j, rows.approx(i, j));
    }
  }
}

/** Self first, then the list by increasing distance (ties by index), near-zero distances snapped to 0. */
function toGraph(lists: NeighbourLists, k: number): KnnGraph {
  const { n, size: K, idx, dist } = lists;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const out = i * k;
    indices[out] = i;
    let filled = 1;
    for (let t = i * K; t < (i + 1) * K; t++) {
      const j = idx[t]!;
      if (j < 0) throw new Error(`nnDescentKnn: row ${i} is short of neighbours (internal error)`);
      const d = dist[t]! > SAME_POINT_DISTANCE ? dist[t]! : 0;
      let p = out + filled++;
      while (p > out + 1 && (distances[p - 1]! > d || (distances[p - 1] === d && indices[p - 1]! > j))) {
        indices[p] = indices[p - 1]!;
        distances[p] = distances[p - 1]!;
        p--;
      }
      indices[p] = j;
      distances[p] = d;
    }
  }
  return { n, k, indices, distances };
}
