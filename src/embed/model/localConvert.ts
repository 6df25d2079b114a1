/**
 * A model folder you bring with PyTorch weights only (a sentence-transformers folder as
 * `save_pretrained` writes it: config.json, model.safetensors, tokenizer files, modules.json ...)
 * gets its ONNX file from our converter (src/embed/convert) when it is a BERT encoder, e.g.
 * paraphrase-multilingual-MiniLM-L12-v2 (a BERT with XLM-R's vocabulary) or bge-small-en-v1.5.
 * Other architectures still need an ONNX export (modelInfo.ts says so).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readBertWeights, writeBertOnnx } from '../convert/convertBert.js';
import { onnxFile, type ModelDtype } from './modelFiles.js';

/** Whether `dir` lacks the ONNX file for `dtype` but has a BERT checkpoint we can convert. */
export function canConvertLocally(dir: string, dtype: ModelDtype): boolean {
  if (existsSync(path.join(dir, onnxFile(dtype)))) return false;
  if (!existsSync(path.join(dir, 'model.safetensors')) || !existsSync(path.join(dir, 'config.json'))) return false;
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as { model_type?: string }).model_type === 'bert';
  } catch {
    return false;
  }
}

/** Converts `dir`/model.safetensors into `dir`/onnx/model(.onnx|_quantized.onnx); returns the file written. */
export function convertLocalCheckpoint(dir: string, dtype: ModelDtype, log?: (msg: string) => void): string {
  const t0 = Date.now();
  const weights = readBertWeights(new Uint8Array(readFileSync(path.join(dir, 'model.safetensors'))), readFileSync(path.join(dir, 'config.json'), 'utf8'));
  const rel = onnxFile(dtype);
  const out = path.join(dir, rel);
  mkdirSync(path.dirname(out), { recursive: true });
  const size = writeBertOnnx(weights, dtype, out, `local:${path.basename(dir)}`);
  log?.(`converted ${dir}/model.safetensors to ${rel} (${dtype}, ${(size / 1e6).toFixed(1)} MB) in ${Date.now() - t0} ms`);
  return rel;
}
