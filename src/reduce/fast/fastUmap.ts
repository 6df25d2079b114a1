/**
 * UMAP on typed arrays, from a precomputed k-NN graph: fuzzy simplicial set -> initial layout ->
 * SGD layout optimisation, following umap-learn's algorithm and defaults (so BERTopic's settings
 * mean the same here). Deterministic for a given seed with one thread (the default); with
 * `threads` > 1 the layout epochs run on several threads (optimizeLayout.ts), not reproducibly.
 */
import type { KnnGraph, Matrix } from '../../core/types.js';
import { Mulberry32 } from '../../core/random.js';
import { truncateKnn } from '../truncateKnn.js';
import { findAbParams } from './abParams.js';
import { fuzzySimplicialSet } from './fuzzySimplicialSet.js';
import { initialLayout, type InitMethod } from './initialLayout.js';
import { defaultEpochs, layoutEdges } from './layoutEdges.js';
import { layoutThreads, optimizeLayout } from './optimizeLayout.js';
import type { SpectralOptions } from './spectralInit.js';
import { warmLayout, type InitialLayout } from './warmStart.js';

export interface FastUmapOptions {
  nNeighbors: number;
  nComponents: number;
  minDist: number;
  seed: number;
  /** default: umap-learn's 500 up to 10k points, 200 beyond */
  nEpochs?: number;
  init: InitMethod;
  spread: number;
  learningRate: number;
  negativeSampleRate: number;
  repulsionStrength: number;
  localConnectivity: number;
  spectral?: Partial<SpectralOptions>;
  /** a warm start: the previous layout of the points that were in it (`init` is then not used) */
  initial?: InitialLayout;
  /** threads for the layout epochs (1: deterministic; more only off the main thread) */
  threads?: number;
}

export const DEFAULT_FAST_UMAP_OPTIONS: Readonly<FastUmapOptions> = {
  nNeighbors: 15,
  nComponents: 5,
  minDist: 0,
  seed: 42,
  init: 'spectral',
  spread: 1,
  learningRate: 1,
  negativeSampleRate: 5,
  repulsionStrength: 1,
  localConnectivity: 1,
};

export interface FastUmapPhases {
  graphMs: number;
  initMs: number;
  layoutMs: number;
  nEdges: number;
  nEpochs: number;
  /** threads the layout ran on */
  threads: number;
}

export function fastUmap(
  knnIn: KnnGraph,
  options: Partial<FastUmapOptions> = {},
  x?: Matrix,
  onEpoch?: (epoch: number, nEpochs: number) => void,
  phases?: Partial<FastUmapPhases>,
): Float32Array {
  const o = { ...DEFAULT_FAST_UMAP_OPTIONS, ...options };
  if (knnIn.n <= o.nNeighbors) throw new Error(`UMAP: ${knnIn.n} points are too few for nNeighbors = ${o.nNeighbors}`);
  const knn = truncateKnn(knnIn, o.nNeighbors);
  const n = knn.n;
  const dim = o.nComponents;
  const rng = new Mulberry32(o.seed);

  let t0 = performance.now();
  const graph = fuzzySimplicialSet(knn, o.localConnectivity);
  const nEpochs = o.nEpochs ?? defaultEpochs(n);
  const edges = layoutEdges(graph, nEpochs);
  let t1 = performance.now();
  if (phases) phases.graphMs = t1 - t0;

  t0 = t1;
  const embedding = o.initial ? warmLayout(knn, o.initial, dim, rng) : initialLayout(o.init, graph, dim, rng, x, o.spectral);
  t1 = performance.now();
  if (phases) phases.initMs = t1 - t0;

  t0 = t1;
  const { a, b } = findAbParams(o.spread, o.minDist);
  optimizeLayout(embedding, n, dim, edges, {
    nEpochs,
    a,
    b,
    gamma: o.repulsionStrength,
    initialAlpha: o.learningRate,
    negativeSampleRate: o.negativeSampleRate,
    seed: rng.nextUint32(),
    threads: o.threads ?? 1,
  }, onEpoch);
  if (phases) {
    phases.layoutMs = performance.now() - t0;
    phases.nEdges = edges.head.length;
    phases.nEpochs = nEpochs;
    phases.threads = layoutThreads(o.threads, edges.head.length);
  }
  return embedding;
}
