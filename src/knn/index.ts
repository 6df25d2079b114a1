export { HnswIndex, type HnswOptions, type KnnQueryResult } from './hnswIndex.js';
export { buildKnnGraph, buildKnnGraphWithIndex, type KnnGraphOptions } from './buildKnnGraph.js';
export { bruteForceKnn, type KnnMetric } from './bruteForceKnn.js';
export { knnRecall } from './recall.js';
export { nnDescentKnn, nnDescentKnnWithStats, type NnDescentOptions, type NnDescentStats } from './nnDescent.js';
