/** The `knn` settings: how fit and refit build the k-NN graph, and the HNSW indexes (part of schema.ts). */
import { z } from 'zod';
import { positiveInt } from './common.js';

/** NN-descent's parameters (src/knn/README.md); null = pynndescent's rule for the input's size. */
export const nnDescentSchema = z
  .object({
    /** random-projection trees seeding the graph; null = max(3, min(12, round(2 log10 n))); 0 = random start */
    nTrees: z.number().int().min(0).max(64).nullable().default(null),
    /** points per leaf of those trees; null = max(60, min(256, 5 k)) */
    leafSize: z.number().int().min(2).nullable().default(null),
    /** new (and old) candidates sampled per point per round of local joins; null = min(60, 2 k) (pynndescent: min(60, k), recall 0.936 instead of 0.956 on 18.8k tweets) */
    maxCandidates: positiveInt.nullable().default(null),
    /** most rounds of local joins; null = max(5, round(log2 n)) */
    nIters: positiveInt.nullable().default(null),
    /** stop when a round improves fewer than delta * k * n list entries */
    delta: z.number().min(0).max(1).default(0.001),
    /**
     * threads of the trees and local joins (this one and helpers; from 4,000 points); "auto" = one
     * per core. 1 by default: on a busy machine (a refit next to the embedding workers) helpers cost
     * more than they bring (src/knn/README.md)
     */
    threads: z.union([z.literal('auto'), positiveInt]).default(1),
  })
  .strict();

export const knnSchema = z
  .object({
    /**
     * How the k-NN graph of fit and refit is built: an HNSW index (hnswlib), NN-descent
     * (src/knn/README.md: recall@15 0.956 on 18.8k tweets, 5-7x faster than hnsw), or auto:
     * NN-descent from nnDescentFromDocs points, HNSW below.
     */
    graph: z.enum(['auto', 'hnsw', 'nndescent']).default('auto'),
    /**
     * graph auto: NN-descent from this many points. Below it the graph costs little either way, and
     * at a few hundred points HNSW's graph (recall 0.995) keeps small fits and refits as they were
     * measured (src/knn/README.md).
     */
    nnDescentFromDocs: positiveInt.default(5000),
    /** HNSW: of the graph's index (graph: hnsw) and of the service's assignment index (always) */
    M: positiveInt.default(16),
    efConstruction: positiveInt.default(200),
    efSearch: positiveInt.default(100),
    nnDescent: nnDescentSchema.default({}),
  })
  .strict();
