/** What WorkerReducer (main side) and umapWorker (worker side) exchange, through core/workers. */
import type { ReducerMethod, ReducerSettings } from './settings.js';

export interface ReduceRequest {
  method: ReducerMethod;
  settings: ReducerSettings;
  knn?: { n: number; k: number; indices: Int32Array; distances: Float32Array };
  x?: { rows: number; cols: number; data: Float32Array };
}

/** sent as job progress */
export interface ReduceProgress {
  done: number;
  total: number;
}

export interface ReduceResult {
  rows: number;
  cols: number;
  data: Float32Array;
  /** wall time of the fit inside the worker */
  ms: number;
}
