/**
 * HNSW options for tests that use the knn module directly: the config schema's defaults (the knn
 * module has no defaults of its own), with any overrides.
 */
import { loadConfig } from '../../src/config/load.js';
import type { HnswOptions } from '../../src/knn/hnswIndex.js';
import { hnswOptions } from '../../src/pipeline/components.js';

const DEFAULTS = hnswOptions(loadConfig({ env: {} }));

export function hnsw(over: Partial<HnswOptions> = {}): HnswOptions {
  return { ...DEFAULTS, ...over };
}
