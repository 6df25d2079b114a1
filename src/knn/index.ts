export { HnswIndex, DEFAULT_HNSW_OPTIONS, type HnswOptions, type KnnQueryResult } from './hnswIndex.js';
export { buildKnnGraph, buildKnnGraphWithIndex, DEFAULT_KNN_GRAPH_OPTIONS, type KnnGraphOptions } from './buildKnnGraph.js';
export { bruteForceKnn, type KnnMetric } from './bruteForceKnn.js';
export { knnRecall } from './recall.js';
