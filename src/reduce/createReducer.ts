import type { Reducer } from '../core/types.js';
import { isReducerMethod, REDUCER_METHODS, type ReducerMethod, type ReducerSettings } from './settings.js';
import { WorkerReducer, type WorkerReducerOptions } from './workerReducer.js';

/** The reducer the pipeline uses unless configured otherwise. */
export const DEFAULT_REDUCER_METHOD: ReducerMethod = 'fast-umap';

/** A Reducer by name: 'fast-umap' (default), 'umap-js' (the reference library) or 'pca'. */
export function createReducer(
  method: string = DEFAULT_REDUCER_METHOD,
  settings: Partial<ReducerSettings> = {},
  run: WorkerReducerOptions = {},
): Reducer & { readonly method: ReducerMethod } {
  if (!isReducerMethod(method)) throw new Error(`unknown reducer "${method}"; choose one of ${REDUCER_METHODS.join(', ')}`);
  return new WorkerReducer(method, settings, run);
}

/** umap-js 1.4 in a worker: the reference implementation. */
export class UmapJsReducer extends WorkerReducer {
  constructor(settings: Partial<ReducerSettings> = {}, run: WorkerReducerOptions = {}) {
    super('umap-js', settings, run);
  }
}

/** Our typed-array UMAP in a worker. */
export class FastUmapReducer extends WorkerReducer {
  constructor(settings: Partial<ReducerSettings> = {}, run: WorkerReducerOptions = {}) {
    super('fast-umap', settings, run);
  }
}

/** PCA (randomised power iteration) in a worker: cheap, linear, ignores the k-NN graph. */
export class PcaReducer extends WorkerReducer {
  constructor(settings: Partial<ReducerSettings> = {}, run: WorkerReducerOptions = {}) {
    super('pca', settings, run);
  }
}
