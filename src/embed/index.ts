/** The embedding stage: model provisioning (pull, convert), model folder checks and the worker-thread embedder. */
export { createEmbedder, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS, DEFAULT_MAX_WINDOWS, type EmbedderOptions, type EmbedStats, type TopicstreamEmbedder } from './embedder.js';
export {
  cacheRoot,
  EMBEDDING_DIM,
  isModelPresent,
  isSupportedModel,
  MAX_TOKENS,
  missingFiles,
  MODEL_ID,
  MODEL_NAME,
  onnxFile,
  resolveModelDir,
  SUPPORTED_MODELS,
  type ModelDtype,
  type PullDtype,
  type ResolveOptions,
} from './model/modelFiles.js';
export { pullModel, verifyModel, type ModelSource, type PullOptions, type PullProgress, type PullResult } from './model/pull.js';
export type { LongTextMode } from './text/windows.js';
export { BGE_SMALL_ID, CATALOG, catalogEntry, hubReposFor, isValidModelId, modelName, OFFLINE_MODELS, type CatalogEntry, type PoolingMode } from './model/catalog.js';
export { readModelInfo, SUPPORTED_ARCHITECTURES, type ModelInfo } from './model/modelInfo.js';
