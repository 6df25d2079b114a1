/**
 * What topicstream knows about particular models: where `model pull` finds them when the Hugging
 * Face hub is unreachable, and their sentence-transformers settings for folders that lack the
 * sentence-transformers files (modules.json, 1_Pooling/config.json, sentence_bert_config.json).
 * Any other model works from the hub or from a local folder; only these two have offline sources.
 */
export type PoolingMode = 'mean' | 'cls' | 'max';

export interface StSettings {
  pooling: PoolingMode;
  normalize: boolean;
  /** sentence-transformers' max_seq_length (tokens, special tokens included) */
  maxTokens: number;
}

export type OfflineSource = 'pypi' | 'maven';

export interface CatalogEntry {
  id: string;
  /** hub repositories tried in order (transformers.js layout first) */
  hubRepos: readonly string[];
  /** where the model comes from without the hub */
  offline: OfflineSource;
  st: StSettings;
  dim: number;
}

export const MODEL_ID = 'sentence-transformers/all-MiniLM-L6-v2';
export const BGE_SMALL_ID = 'BAAI/bge-small-en-v1.5';

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: MODEL_ID,
    hubRepos: ['Xenova/all-MiniLM-L6-v2', MODEL_ID],
    offline: 'pypi',
    st: { pooling: 'mean', normalize: true, maxTokens: 256 },
    dim: 384,
  },
  {
    id: BGE_SMALL_ID,
    hubRepos: ['Xenova/bge-small-en-v1.5', BGE_SMALL_ID],
    offline: 'maven',
    st: { pooling: 'cls', normalize: true, maxTokens: 512 },
    dim: 384,
  },
];

/** The models `topicstream model pull` can provision without the hub. */
export const OFFLINE_MODELS: readonly string[] = CATALOG.map((c) => c.id);

export function catalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((c) => c.id === id);
}

/** The last path segment of a model id: the name of its folder in the cache. */
export function modelName(id: string): string {
  return id.split('/').pop()!;
}

/**
 * Hub repositories to try for a model: the catalog's, else the id itself and then Xenova's
 * transformers.js export of the same name (where many sentence-transformers models have ONNX
 * weights in the layout transformers.js expects).
 */
export function hubReposFor(id: string): string[] {
  const known = catalogEntry(id);
  if (known) return [...known.hubRepos];
  const xenova = `Xenova/${modelName(id)}`;
  return id === xenova || !id.includes('/') ? [id] : [id, xenova];
}

/** A hub-style id: `name` or `owner/name`, letters, digits, `.`, `_`, `-` (no `..` or `--`). */
export function isValidModelId(id: string): boolean {
  return /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) && !id.includes('..') && !modelName(id).includes('--');
}
