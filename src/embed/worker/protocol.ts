/** What the embedder (main thread) and its worker threads exchange, through core/workers. */
import type { ModelDtype } from '../model/modelFiles.js';
import type { LongTextMode } from '../text/windows.js';
import type { Pooling } from './pooling.js';

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
  /** sentence-transformers pooling of the model's token vectors */
  pooling: Pooling;
}

/** sent once the model is loaded */
export interface WorkerInfo {
  dim: number;
}

export interface EmbedRequest {
  texts: string[];
}

export interface EmbedResult {
  /** texts × dim, row-major, unit rows */
  data: Float32Array;
  windows: number;
  tokens: number;
}
