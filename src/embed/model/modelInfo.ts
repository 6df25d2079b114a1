/**
 * What the embedder needs to know about a model folder before it starts its workers, read from the
 * folder itself: the architecture and hidden size (config.json), and sentence-transformers'
 * pooling, normalisation and max_seq_length (modules.json, 1_Pooling/config.json,
 * sentence_bert_config.json) where the folder has them, else the catalog's settings for a known
 * model, else sentence-transformers' defaults (mean pooling). Anything the embedder cannot run
 * is refused here with an error that says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogEntry, type PoolingMode, type StSettings } from './catalog.js';
import { onnxFile, type ModelDtype } from './modelFiles.js';

/** Encoder architectures (config.json model_type) transformers.js' AutoModel runs as a feature extractor. */
export const SUPPORTED_ARCHITECTURES = ['bert', 'roberta', 'xlm-roberta', 'camembert', 'distilbert', 'mpnet', 'electra', 'nomic_bert'] as const;

export interface ModelInfo extends StSettings {
  modelType: string;
  hiddenSize: number;
  /** where pooling/normalize/maxTokens came from */
  settingsFrom: 'sentence-transformers' | 'catalog' | 'defaults';
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Reads and checks `dir` for `dtype`; throws a clear error for a folder the embedder cannot run. */
export function readModelInfo(dir: string, dtype: ModelDtype, modelId?: string): ModelInfo {
  const config = readJson(path.join(dir, 'config.json'));
  if (!config) throw new Error(`${dir}: no config.json - not a transformers.js model folder`);
  const modelType = String(config.model_type ?? '');
  if (!(SUPPORTED_ARCHITECTURES as readonly string[]).includes(modelType)) {
    throw new Error(
      `${dir}: model_type "${modelType || '(none)'}" is not supported: topicstream runs sentence-transformers encoders of type ${SUPPORTED_ARCHITECTURES.join(', ')}`,
    );
  }
  const hiddenSize = Number(config.hidden_size ?? config.dim ?? config.n_embd);
  if (!(hiddenSize > 0)) throw new Error(`${dir}/config.json: no hidden_size`);
  if (!existsSync(path.join(dir, onnxFile(dtype)))) {
    const other = onnxFile(dtype === 'fp32' ? 'q8' : 'fp32');
    const hint = existsSync(path.join(dir, other))
      ? `; ${other} is there: use embedding.dtype ${dtype === 'fp32' ? 'q8' : 'fp32'}`
      : existsSync(path.join(dir, 'model.safetensors'))
        ? '; the folder has PyTorch weights only: topicstream converts BERT checkpoints (model_type bert), export others with optimum-cli export onnx'
        : '; export ONNX weights with optimum-cli export onnx (transformers.js layout: onnx/model.onnx, onnx/model_quantized.onnx)';
    throw new Error(`${dir}: no ONNX weights for ${dtype} (${onnxFile(dtype)} missing)${hint}`);
  }
  const st = readStSettings(dir, config);
  if (st) return { modelType, hiddenSize, ...st, settingsFrom: 'sentence-transformers' };
  const known = modelId ? catalogEntry(modelId) : undefined;
  if (known) return { modelType, hiddenSize, ...known.st, settingsFrom: 'catalog' };
  return { modelType, hiddenSize, pooling: 'mean', normalize: true, maxTokens: fallbackMaxTokens(dir, config), settingsFrom: 'defaults' };
}

/** Pooling, Normalize and max_seq_length from the sentence-transformers files, if the folder has them. */
function readStSettings(dir: string, config: Record<string, unknown>): StSettings | undefined {
  const modules = readJson(path.join(dir, 'modules.json')) as unknown as Array<{ type?: string; path?: string }> | undefined;
  const poolingPath = modules?.find((m) => /Pooling$/.test(m.type ?? ''))?.path ?? '1_Pooling';
  const poolingCfg = readJson(path.join(dir, poolingPath, 'config.json'));
  if (!modules && !poolingCfg) return undefined;
  if (modules) {
    const extra = modules.filter((m) => !/(Transformer|Pooling|Normalize)$/.test(m.type ?? ''));
    if (extra.length > 0) {
      throw new Error(`${dir}/modules.json: module ${extra.map((m) => m.type).join(', ')} is not supported (topicstream runs Transformer, Pooling and Normalize)`);
    }
  }
  const stCfg = readJson(path.join(dir, 'sentence_bert_config.json'));
  const maxSeq = Number(stCfg?.max_seq_length);
  return {
    pooling: poolingCfg ? poolingMode(poolingCfg, dir) : 'mean',
    normalize: modules ? modules.some((m) => /Normalize$/.test(m.type ?? '')) : true,
    maxTokens: maxSeq > 0 ? Math.min(maxSeq, positionLimit(config)) : fallbackMaxTokens(dir, config),
  };
}

function poolingMode(cfg: Record<string, unknown>, dir: string): PoolingMode {
  const on = Object.entries(cfg)
    .filter(([k, v]) => k.startsWith('pooling_mode_') && v === true)
    .map(([k]) => k.slice('pooling_mode_'.length));
  const map: Record<string, PoolingMode> = { mean_tokens: 'mean', cls_token: 'cls', max_tokens: 'max' };
  if (on.length === 1 && map[on[0]!]) return map[on[0]!]!;
  throw new Error(`${dir}: pooling ${on.join(' + ') || '(none)'} is not supported (one of mean_tokens, cls_token, max_tokens)`);
}

/** Tokens the position embeddings allow (RoBERTa-style models reserve two positions). */
function positionLimit(config: Record<string, unknown>): number {
  const max = Number(config.max_position_embeddings);
  if (!(max > 0)) return 512;
  return ['roberta', 'xlm-roberta', 'camembert'].includes(String(config.model_type)) ? max - 2 : max;
}

function fallbackMaxTokens(dir: string, config: Record<string, unknown>): number {
  const tc = readJson(path.join(dir, 'tokenizer_config.json'));
  const m = Number(tc?.model_max_length);
  return Math.min(m > 0 && m < 100_000 ? m : 512, positionLimit(config));
}
