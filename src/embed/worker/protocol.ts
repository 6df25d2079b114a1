/** Messages between the embedder (main thread) and its worker threads. */
import type { ModelDtype } from '../model/modelFiles.js';
import type { LongTextMode } from '../text/windows.js';

export interface WorkerConfig {
  modelDir: string;
  dtype: ModelDtype;
  /** onnxruntime intra-op threads of this worker's session */
  threads: number;
  /** model batch size (windows per forward pass) */
  batchSize: number;
  maxTokens: number;
  longText: LongTextMode;
  maxWindows: number;
}

export type ToWorker = { type: 'embed'; id: number; texts: string[] };

export type FromWorker =
  | { type: 'ready'; dim: number }
  | { type: 'result'; id: number; data: Float32Array; windows: number; tokens: number }
  | { type: 'error'; id?: number; message: string };
