/**
 * The weights of a BERT encoder (HuggingFace `BertModel` naming) read from safetensors, with the
 * linear layers transposed to ONNX MatMul's [in, out] layout.
 */
import { readF32, type SafeTensors } from './safetensors.js';

export interface BertConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
}

/** A linear layer y = x·w + b with w stored [inDim, outDim] row-major. */
export interface Linear {
  w: Float32Array;
  b: Float32Array;
  inDim: number;
  outDim: number;
}

export interface LayerNormWeights {
  gamma: Float32Array;
  beta: Float32Array;
}

export interface BertLayerWeights {
  /** query, key and value side by side: [hidden, 3*hidden]; the query part pre-scaled by 1/sqrt(headDim) */
  qkv: Linear;
  attnOut: Linear;
  attnNorm: LayerNormWeights;
  ffnIn: Linear;
  ffnOut: Linear;
  outNorm: LayerNormWeights;
}

export interface BertWeights {
  config: BertConfig;
  wordEmbeddings: Float32Array;
  positionEmbeddings: Float32Array;
  tokenTypeEmbeddings: Float32Array;
  embNorm: LayerNormWeights;
  layers: BertLayerWeights[];
}

/** Reads the fields of a HuggingFace BERT config.json we depend on, refusing what we can't build. */
export function parseBertConfig(json: unknown): BertConfig {
  const c = json as Record<string, unknown>;
  const num = (k: string): number => {
    const v = c[k];
    if (typeof v !== 'number') throw new Error(`config.json: ${k} missing or not a number`);
    return v;
  };
  if (c.model_type !== undefined && c.model_type !== 'bert') throw new Error(`config.json: model_type ${String(c.model_type)} is not bert`);
  if (c.hidden_act !== undefined && c.hidden_act !== 'gelu') throw new Error(`config.json: hidden_act ${String(c.hidden_act)} unsupported (only exact gelu)`);
  const pet = c.position_embedding_type;
  if (pet !== undefined && pet !== 'absolute') throw new Error(`config.json: position_embedding_type ${String(pet)} unsupported`);
  const cfg: BertConfig = {
    hiddenSize: num('hidden_size'),
    numLayers: num('num_hidden_layers'),
    numHeads: num('num_attention_heads'),
    intermediateSize: num('intermediate_size'),
    vocabSize: num('vocab_size'),
    maxPositions: num('max_position_embeddings'),
    typeVocabSize: num('type_vocab_size'),
    layerNormEps: typeof c.layer_norm_eps === 'number' ? c.layer_norm_eps : 1e-12,
  };
  if (cfg.hiddenSize % cfg.numHeads !== 0) throw new Error('config.json: hidden_size not divisible by num_attention_heads');
  return cfg;
}

/** torch Linear weight [out, in] -> [in, out]. */
function transpose(w: Float32Array, out: number, inn: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) {
    const row = o * inn;
    for (let i = 0; i < inn; i++) t[i * out + o] = w[row + i]!;
  }
  return t;
}

function linear(st: SafeTensors, prefix: string, inDim: number, outDim: number): Linear {
  const w = readF32(st, `${prefix}.weight`, [outDim, inDim]);
  const b = readF32(st, `${prefix}.bias`, [outDim]);
  return { w: transpose(w, outDim, inDim), b, inDim, outDim };
}

function layerNorm(st: SafeTensors, prefix: string, dim: number): LayerNormWeights {
  return { gamma: readF32(st, `${prefix}.weight`, [dim]), beta: readF32(st, `${prefix}.bias`, [dim]) };
}

/** Concatenates [in, a], [in, b], [in, c] column-wise into [in, a+b+c]. */
function concatColumns(parts: readonly Linear[]): Linear {
  const inDim = parts[0]!.inDim;
  const outDim = parts.reduce((s, p) => s + p.outDim, 0);
  const w = new Float32Array(inDim * outDim);
  const b = new Float32Array(outDim);
  let col = 0;
  for (const p of parts) {
    for (let i = 0; i < inDim; i++) w.set(p.w.subarray(i * p.outDim, (i + 1) * p.outDim), i * outDim + col);
    b.set(p.b, col);
    col += p.outDim;
  }
  return { w, b, inDim, outDim };
}

export function loadBertWeights(st: SafeTensors, config: BertConfig): BertWeights {
  // Checkpoints saved from BertModel have bare names; those from heads (BertForX) prefix "bert.".
  const p = st.has('bert.embeddings.word_embeddings.weight') ? 'bert.' : '';
  const h = config.hiddenSize;
  const headDim = h / config.numHeads;
  const layers: BertLayerWeights[] = [];
  for (let l = 0; l < config.numLayers; l++) {
    const lp = `${p}encoder.layer.${l}`;
    const q = linear(st, `${lp}.attention.self.query`, h, h);
    // Fold the attention's 1/sqrt(headDim) into the query projection: one op less per layer.
    const s = 1 / Math.sqrt(headDim);
    for (let i = 0; i < q.w.length; i++) q.w[i]! *= s;
    for (let i = 0; i < q.b.length; i++) q.b[i]! *= s;
    const k = linear(st, `${lp}.attention.self.key`, h, h);
    const v = linear(st, `${lp}.attention.self.value`, h, h);
    layers.push({
      qkv: concatColumns([q, k, v]),
      attnOut: linear(st, `${lp}.attention.output.dense`, h, h),
      attnNorm: layerNorm(st, `${lp}.attention.output.LayerNorm`, h),
      ffnIn: linear(st, `${lp}.intermediate.dense`, h, config.intermediateSize),
      ffnOut: linear(st, `${lp}.output.dense`, config.intermediateSize, h),
      outNorm: layerNorm(st, `${lp}.output.LayerNorm`, h),
    });
  }
  return {
    config,
    wordEmbeddings: readF32(st, `${p}embeddings.word_embeddings.weight`, [config.vocabSize, h]),
    positionEmbeddings: readF32(st, `${p}embeddings.position_embeddings.weight`, [config.maxPositions, h]),
    tokenTypeEmbeddings: readF32(st, `${p}embeddings.token_type_embeddings.weight`, [config.typeVocabSize, h]),
    embNorm: layerNorm(st, `${p}embeddings.LayerNorm`, h),
    layers,
  };
}
