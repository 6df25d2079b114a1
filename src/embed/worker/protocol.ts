/** What the embedder (main thread) and its worker threads exchange, through core/workers. */
import type { ModelDtype } from '../model/modelFiles.js';
import type { Pooling } from './pooling.js';

export interface WorkerConfig {
  modelDir: string;
  dtype: ModelDtype;
  /** onnxruntime intra-op threads of this worker's session */
  threads: number;
  /** the tokenizer's padding id (1 for XLM-R) */
  pad: number;
  /** sentence-transformers pooling of the model's token vectors */
  pooling: Pooling;
}

/** sent once the model is loaded */
export interface WorkerInfo {
  dim: number;
}

/** One forward pass: windows already tokenised (by the main thread) and sorted by length. */
export interface EmbedRequest {
  /** the windows' token ids, one after the other ([CLS] … [SEP] each) */
  ids: Int32Array;
  /** each window's token count */
  lengths: Int32Array;
  /** the batch's texts, sent only under the crash-embed test hook */
  hookTexts?: string[];
}

export interface EmbedResult {
  /** windows × dim, row-major: each window's pooled, normalised vector */
  data: Float32Array;
  /** time in the forward pass (onnxruntime) and in pooling, ms */
  forwardMs: number;
  poolMs: number;
}
