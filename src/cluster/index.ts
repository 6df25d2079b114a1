/** HDBSCAN clustering: fit, approximate prediction, snapshots. */
export { HdbscanClusterer } from './hdbscanClusterer.js';
export { fitHdbscan } from './hdbscan.js';
export { approximatePredict, type Prediction } from './predict.js';
export { serializeHdbscanModel, deserializeHdbscanModel, type SerializedHdbscanModel } from './serialize.js';
export { HDBSCAN_DEFAULTS, resolveOptions, type HdbscanOptions, type HdbscanParams, type ClusterSelectionMethod } from './options.js';
export type { HdbscanModel, FitTimings } from './model.js';
export type { CondensedTree } from './types.js';
