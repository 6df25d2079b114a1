/** Messages between WorkerReducer (main side) and umapWorker (worker side). */
import type { ReducerMethod, ReducerSettings } from './settings.js';

export interface ReduceRequest {
  method: ReducerMethod;
  settings: ReducerSettings;
  knn?: { n: number; k: number; indices: Int32Array; distances: Float32Array };
  x?: { rows: number; cols: number; data: Float32Array };
}

export type ReduceReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; rows: number; cols: number; data: Float32Array; ms: number }
  | { type: 'error'; message: string; stack?: string };
