/**
 * Reducer names and settings. The core ReducerOptions (nNeighbors, nComponents, minDist, seed)
 * default to BERTopic's UMAP settings; the rest are per-method knobs.
 */
import type { ReducerOptions } from '../core/types.js';
import type { InitMethod } from './fast/initialLayout.js';
import type { InitialLayout } from './fast/warmStart.js';

/** 'umap-js': the umap-js library (reference); 'fast-umap': our typed-array UMAP; 'pca': PCA. */
export const REDUCER_METHODS = ['fast-umap', 'umap-js', 'pca'] as const;
export type ReducerMethod = (typeof REDUCER_METHODS)[number];

export interface ReducerSettings extends ReducerOptions {
  /** UMAP epochs; default: each implementation's own schedule */
  nEpochs?: number;
  /** fast-umap's initial layout (umap-js always starts at random) */
  init?: InitMethod;
  /** fast-umap: subspace iterations of the spectral initialisation */
  spectralIterations?: number;
  /** fast-umap: start from a previous layout (a warm start; the other methods ignore it) */
  initial?: InitialLayout;
  /** fast-umap: the SGD's initial learning rate (default 1, umap-learn's) */
  learningRate?: number;
  /** fast-umap: threads of the layout epochs (default 1, deterministic; more only off the main thread) */
  threads?: number;
}

export const DEFAULT_REDUCER_SETTINGS: Readonly<ReducerSettings> = {
  nNeighbors: 15,
  nComponents: 5,
  minDist: 0,
  seed: 42,
};

export function isReducerMethod(s: string): s is ReducerMethod {
  return (REDUCER_METHODS as readonly string[]).includes(s);
}
