/**
 * Emits a BERT encoder as an ONNX graph (opset 17) with the interface transformers.js'
 * feature-extraction models have: int64 inputs input_ids, attention_mask, token_type_ids of shape
 * [batch, sequence], float output last_hidden_state [batch, sequence, hidden].
 *
 *   h = LayerNorm(word[ids] + position[0..S) + tokenType[types])
 *   per layer:  a = softmax(Q·Kᵀ/√d + maskBias)·V  (12 heads)
 *               h = LayerNorm(h + a·Wo + bo)
 *               h = LayerNorm(h + gelu(h·Wi + bi)·Wout + bout)
 *
 * The graph uses plain ops (MatMul, Softmax, Erf, LayerNormalization) in the shapes onnxruntime's
 * optimizer recognises (it fuses the erf-GELU and bias adds itself).
 *
 * `q8` replaces every linear layer with dynamic quantization (what onnxruntime's quantize_dynamic
 * produces): activations quantized to uint8 per call by DynamicQuantizeLinear, int8 weights with a
 * per-column scale, MatMulInteger, then the two scales applied to the int32 result. The word
 * embedding table is stored int8 with one scale per row (it is half the model's bytes).
 */
import { attr, GraphBuilder } from '../onnx/graphBuilder.js';
import { DataType, type ModelDef } from '../onnx/onnxProto.js';
import type { BertConfig, BertLayerWeights, BertWeights, LayerNormWeights, Linear } from './bertWeights.js';
import { quantizePerColumn, quantizePerRow } from './quantize.js';

export type GraphDtype = 'fp32' | 'q8';

/** Added to attention scores at padded positions; softmax turns it into an exact 0 weight. */
const MASK_MIN = -3.4028234663852886e38;

export interface BuildOptions {
  docString?: string;
  /** q8 only: linear layers whose name matches stay fp32 (for accuracy experiments) */
  keepFp32?: RegExp;
}

export function buildBertModel(w: BertWeights, dtype: GraphDtype, opts: BuildOptions = {}): ModelDef {
  const b = new BertGraph(w, dtype === 'q8', opts.keepFp32);
  const g = b.g;
  const inputIds = g.name('input_ids');
  const attentionMask = g.name('attention_mask');
  const tokenTypeIds = g.name('token_type_ids');

  let hidden = embeddings(b, w, inputIds, tokenTypeIds);
  const maskBias = attentionMaskBias(g, attentionMask);
  const k = layerConstants(b);
  for (let l = 0; l < w.config.numLayers; l++) hidden = encoderLayer(b, w.layers[l]!, `encoder.layer.${l}`, hidden, maskBias, k);

  const output = g.op('Identity', [hidden], 'last_hidden_state');
  const ids = (name: string) => ({ name, elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] });
  const graph = g.build(
    'bert_encoder',
    [ids(inputIds), ids(attentionMask), ids(tokenTypeIds)],
    [{ name: output, elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', w.config.hiddenSize] }],
  );
  return { graph, opset: 17, producerName: 'topicstream', producerVersion: '0.1.0', docString: opts.docString };
}

/** The graph under construction and the two building blocks every part uses. */
class BertGraph {
  readonly g = new GraphBuilder();
  readonly c: BertConfig;

  constructor(w: BertWeights, readonly q8: boolean, private readonly keepFp32: RegExp | undefined) {
    this.c = w.config;
  }

  /** y = x·W + b: fp32, or (q8) dynamically quantized activations times per-column int8 weights. */
  linear(x: string, lin: Linear, hint: string): string {
    const g = this.g;
    if (!this.q8 || this.keepFp32?.test(hint)) {
      const wName = g.float(`${hint}.weight`, [lin.inDim, lin.outDim], lin.w);
      const bName = g.float(`${hint}.bias`, [lin.outDim], lin.b);
      return g.op('Add', [g.op('MatMul', [x, wName], `${hint}/matmul`), bName], `${hint}/out`);
    }
    const { q, scales } = quantizePerColumn(lin.w, lin.inDim, lin.outDim);
    const wq = g.int8(`${hint}.weight_quantized`, [lin.inDim, lin.outDim], q);
    const ws = g.float(`${hint}.weight_scale`, [lin.outDim], scales);
    const bName = g.float(`${hint}.bias`, [lin.outDim], lin.b);
    const [xq, xs, xzp] = g.opMulti('DynamicQuantizeLinear', [x], [`${hint}/x_q`, `${hint}/x_scale`, `${hint}/x_zero_point`]);
    const acc = g.op('MatMulInteger', [xq!, wq, xzp!], `${hint}/matmul_int`);
    const accF = g.op('Cast', [acc], `${hint}/matmul_float`, { to: attr.int(DataType.FLOAT) });
    const scale = g.op('Mul', [xs!, ws], `${hint}/scale`);
    const y = g.op('Mul', [accF, scale], `${hint}/matmul`);
    return g.op('Add', [y, bName], `${hint}/out`);
  }

  layerNorm(x: string, ln: LayerNormWeights, hint: string): string {
    const g = this.g;
    const h = this.c.hiddenSize;
    return g.op('LayerNormalization', [x, g.float(`${hint}.weight`, [h], ln.gamma), g.float(`${hint}.bias`, [h], ln.beta)], `${hint}/out`, {
      axis: attr.int(-1),
      epsilon: attr.float(this.c.layerNormEps),
    });
  }
}

/** h = LayerNorm(word[ids] + position[0..S) + tokenType[types]). */
function embeddings(b: BertGraph, w: BertWeights, inputIds: string, tokenTypeIds: string): string {
  const { g, c } = b;
  const h = c.hiddenSize;
  const word = wordEmbeddings(b, w, inputIds);
  // Positions 0..S-1 are the first S rows of the table: slice it instead of building a Range.
  const seqLen = g.op('Shape', [inputIds], 'embeddings/seq_len', { start: attr.int(1), end: attr.int(2) });
  const posTable = g.float('embeddings.position_embeddings.weight', [c.maxPositions, h], w.positionEmbeddings);
  const positions = g.op('Slice', [posTable, g.int64('const_zero_1d', [1], [0]), seqLen, g.int64('const_axis0', [1], [0])], 'embeddings/position');
  const typeTable = g.float('embeddings.token_type_embeddings.weight', [c.typeVocabSize, h], w.tokenTypeEmbeddings);
  const types = g.op('Gather', [typeTable, tokenTypeIds], 'embeddings/token_type');
  const summed = g.op('Add', [g.op('Add', [word, positions], 'embeddings/word_pos'), types], 'embeddings/sum');
  return b.layerNorm(summed, w.embNorm, 'embeddings.LayerNorm');
}

/** word[ids]: a Gather from the fp32 table, or (q8) from the int8 table times each row's scale. */
function wordEmbeddings(b: BertGraph, w: BertWeights, inputIds: string): string {
  const { g, c } = b;
  const h = c.hiddenSize;
  if (!b.q8) {
    const table = g.float('embeddings.word_embeddings.weight', [c.vocabSize, h], w.wordEmbeddings);
    return g.op('Gather', [table, inputIds], 'embeddings/word');
  }
  const { q, scales } = quantizePerRow(w.wordEmbeddings, c.vocabSize, h);
  const table = g.int8('embeddings.word_embeddings.weight_quantized', [c.vocabSize, h], q);
  const rowScale = g.float('embeddings.word_embeddings.weight_scale', [c.vocabSize, 1], scales);
  const rows = g.op('Cast', [g.op('Gather', [table, inputIds], 'embeddings/word_q')], 'embeddings/word_f', { to: attr.int(DataType.FLOAT) });
  return g.op('Mul', [rows, g.op('Gather', [rowScale, inputIds], 'embeddings/word_scale')], 'embeddings/word');
}

/** attention_mask [B, S] -> additive bias [B, 1, 1, S]: 0 where attended, MASK_MIN at padding. */
function attentionMaskBias(g: GraphBuilder, attentionMask: string): string {
  const maskF = g.op('Cast', [attentionMask], 'mask/float', { to: attr.int(DataType.FLOAT) });
  const inverted = g.op('Sub', [g.scalar('const_one', 1), maskF], 'mask/inverted');
  const bias2d = g.op('Mul', [inverted, g.scalar('const_mask_min', MASK_MIN)], 'mask/bias_2d');
  return g.op('Unsqueeze', [bias2d, g.int64('const_axes_1_2', [2], [1, 2])], 'mask/bias');
}

/** The constants every encoder layer shares (one initializer each). */
interface LayerConstants {
  headsShape: string;
  mergedShape: string;
  qkvSplit: string;
  sqrt2: string;
  half: string;
  one: string;
}

function layerConstants({ g, c }: BertGraph): LayerConstants {
  const h = c.hiddenSize;
  return {
    headsShape: g.int64('const_heads_shape', [4], [0, 0, c.numHeads, h / c.numHeads]),
    mergedShape: g.int64('const_merged_shape', [3], [0, 0, h]),
    qkvSplit: g.int64('const_qkv_split', [3], [h, h, h]),
    sqrt2: g.scalar('const_sqrt2', Math.SQRT2),
    half: g.scalar('const_half', 0.5),
    one: g.scalar('const_gelu_one', 1),
  };
}

/** One encoder layer (p = its weight-name prefix): self-attention, then the feed-forward block. */
function encoderLayer(b: BertGraph, lw: BertLayerWeights, p: string, hidden: string, maskBias: string, k: LayerConstants): string {
  const attended = selfAttention(b, lw, p, hidden, maskBias, k);
  const h1 = b.layerNorm(b.g.op('Add', [attended, hidden], `${p}/attn_residual`), lw.attnNorm, `${p}.attention.output.LayerNorm`);
  return feedForward(b, lw, p, h1, k);
}

/** a = softmax(Q·Kᵀ/√d + maskBias)·V over the heads, merged back and through the output dense layer. */
function selfAttention(b: BertGraph, lw: BertLayerWeights, p: string, hidden: string, maskBias: string, k: LayerConstants): string {
  const g = b.g;
  const qkv = b.linear(hidden, lw.qkv, `${p}.attention.self.qkv`);
  const [qh, kh, vh] = g.opMulti('Split', [qkv, k.qkvSplit], [`${p}/q`, `${p}/k`, `${p}/v`], { axis: attr.int(-1) });
  // [B, S, H] -> [B, S, heads, d] -> q,v: [B, heads, S, d]; k: [B, heads, d, S]
  const toHeads = (x: string, perm: number[], hint: string) =>
    g.op('Transpose', [g.op('Reshape', [x, k.headsShape], `${hint}_4d`)], hint, { perm: attr.ints(perm) });
  const q = toHeads(qh!, [0, 2, 1, 3], `${p}/q_heads`);
  const kT = toHeads(kh!, [0, 2, 3, 1], `${p}/k_heads_t`);
  const v = toHeads(vh!, [0, 2, 1, 3], `${p}/v_heads`);
  const scores = g.op('Add', [g.op('MatMul', [q, kT], `${p}/scores_raw`), maskBias], `${p}/scores`);
  const probs = g.op('Softmax', [scores], `${p}/probs`, { axis: attr.int(-1) });
  const ctxHeads = g.op('MatMul', [probs, v], `${p}/context_heads`);
  const ctx = g.op('Reshape', [g.op('Transpose', [ctxHeads], `${p}/context_t`, { perm: attr.ints([0, 2, 1, 3]) }), k.mergedShape], `${p}/context`);
  return b.linear(ctx, lw.attnOut, `${p}.attention.output.dense`);
}

/** h = LayerNorm(h1 + gelu(h1·Wi + bi)·Wout + bout). */
function feedForward(b: BertGraph, lw: BertLayerWeights, p: string, h1: string, k: LayerConstants): string {
  const g = b.g;
  // exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)), in the op order onnxruntime's GeluFusion matches
  const inter = b.linear(h1, lw.ffnIn, `${p}.intermediate.dense`);
  const erf = g.op('Erf', [g.op('Div', [inter, k.sqrt2], `${p}/gelu_div`)], `${p}/gelu_erf`);
  const gelu = g.op('Mul', [g.op('Mul', [inter, g.op('Add', [erf, k.one], `${p}/gelu_add`)], `${p}/gelu_mul`), k.half], `${p}/gelu`);
  const out = b.linear(gelu, lw.ffnOut, `${p}.output.dense`);
  return b.layerNorm(g.op('Add', [out, h1], `${p}/ffn_residual`), lw.outNorm, `${p}.output.LayerNorm`);
}
