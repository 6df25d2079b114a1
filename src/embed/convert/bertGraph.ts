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
import type { BertWeights, LayerNormWeights, Linear } from './bertWeights.js';
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
  const g = new GraphBuilder();
  const c = w.config;
  const h = c.hiddenSize;
  const headDim = h / c.numHeads;
  const q8 = dtype === 'q8';

  const inputIds = g.name('input_ids');
  const attentionMask = g.name('attention_mask');
  const tokenTypeIds = g.name('token_type_ids');

  const linear = (x: string, lin: Linear, hint: string): string => {
    if (!q8 || opts.keepFp32?.test(hint)) {
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
  };

  const layerNorm = (x: string, ln: LayerNormWeights, hint: string): string =>
    g.op('LayerNormalization', [x, g.float(`${hint}.weight`, [h], ln.gamma), g.float(`${hint}.bias`, [h], ln.beta)], `${hint}/out`, {
      axis: attr.int(-1),
      epsilon: attr.float(c.layerNormEps),
    });

  // --- embeddings
  let word: string;
  if (q8) {
    const { q, scales } = quantizePerRow(w.wordEmbeddings, c.vocabSize, h);
    const table = g.int8('embeddings.word_embeddings.weight_quantized', [c.vocabSize, h], q);
    const rowScale = g.float('embeddings.word_embeddings.weight_scale', [c.vocabSize, 1], scales);
    const rows = g.op('Cast', [g.op('Gather', [table, inputIds], 'embeddings/word_q')], 'embeddings/word_f', { to: attr.int(DataType.FLOAT) });
    word = g.op('Mul', [rows, g.op('Gather', [rowScale, inputIds], 'embeddings/word_scale')], 'embeddings/word');
  } else {
    const table = g.float('embeddings.word_embeddings.weight', [c.vocabSize, h], w.wordEmbeddings);
    word = g.op('Gather', [table, inputIds], 'embeddings/word');
  }
  // Positions 0..S-1 are the first S rows of the table: slice it instead of building a Range.
  const seqLen = g.op('Shape', [inputIds], 'embeddings/seq_len', { start: attr.int(1), end: attr.int(2) });
  const posTable = g.float('embeddings.position_embeddings.weight', [c.maxPositions, h], w.positionEmbeddings);
  const positions = g.op('Slice', [posTable, g.int64('const_zero_1d', [1], [0]), seqLen, g.int64('const_axis0', [1], [0])], 'embeddings/position');
  const typeTable = g.float('embeddings.token_type_embeddings.weight', [c.typeVocabSize, h], w.tokenTypeEmbeddings);
  const types = g.op('Gather', [typeTable, tokenTypeIds], 'embeddings/token_type');
  const summed = g.op('Add', [g.op('Add', [word, positions], 'embeddings/word_pos'), types], 'embeddings/sum');
  let hidden = layerNorm(summed, w.embNorm, 'embeddings.LayerNorm');

  // --- attention mask -> additive bias [B, 1, 1, S]
  const maskF = g.op('Cast', [attentionMask], 'mask/float', { to: attr.int(DataType.FLOAT) });
  const inverted = g.op('Sub', [g.scalar('const_one', 1), maskF], 'mask/inverted');
  const bias2d = g.op('Mul', [inverted, g.scalar('const_mask_min', MASK_MIN)], 'mask/bias_2d');
  const maskBias = g.op('Unsqueeze', [bias2d, g.int64('const_axes_1_2', [2], [1, 2])], 'mask/bias');

  const headsShape = g.int64('const_heads_shape', [4], [0, 0, c.numHeads, headDim]);
  const mergedShape = g.int64('const_merged_shape', [3], [0, 0, h]);
  const qkvSplit = g.int64('const_qkv_split', [3], [h, h, h]);
  const sqrt2 = g.scalar('const_sqrt2', Math.SQRT2);
  const half = g.scalar('const_half', 0.5);
  const one = g.scalar('const_gelu_one', 1);

  for (let l = 0; l < c.numLayers; l++) {
    const lw = w.layers[l]!;
    const p = `encoder.layer.${l}`;
    const qkv = linear(hidden, lw.qkv, `${p}.attention.self.qkv`);
    const [qh, kh, vh] = g.opMulti('Split', [qkv, qkvSplit], [`${p}/q`, `${p}/k`, `${p}/v`], { axis: attr.int(-1) });
    // [B, S, H] -> [B, S, heads, d] -> q,v: [B, heads, S, d]; k: [B, heads, d, S]
    const toHeads = (x: string, perm: number[], hint: string) =>
      g.op('Transpose', [g.op('Reshape', [x, headsShape], `${hint}_4d`)], hint, { perm: attr.ints(perm) });
    const q = toHeads(qh!, [0, 2, 1, 3], `${p}/q_heads`);
    const kT = toHeads(kh!, [0, 2, 3, 1], `${p}/k_heads_t`);
    const v = toHeads(vh!, [0, 2, 1, 3], `${p}/v_heads`);
    const scores = g.op('Add', [g.op('MatMul', [q, kT], `${p}/scores_raw`), maskBias], `${p}/scores`);
    const probs = g.op('Softmax', [scores], `${p}/probs`, { axis: attr.int(-1) });
    const ctxHeads = g.op('MatMul', [probs, v], `${p}/context_heads`);
    const ctx = g.op('Reshape', [g.op('Transpose', [ctxHeads], `${p}/context_t`, { perm: attr.ints([0, 2, 1, 3]) }), mergedShape], `${p}/context`);
    const attnOut = linear(ctx, lw.attnOut, `${p}.attention.output.dense`);
    const h1 = layerNorm(g.op('Add', [attnOut, hidden], `${p}/attn_residual`), lw.attnNorm, `${p}.attention.output.LayerNorm`);

    // exact GELU: x * 0.5 * (1 + erf(x / sqrt 2)), in the op order onnxruntime's GeluFusion matches
    const inter = linear(h1, lw.ffnIn, `${p}.intermediate.dense`);
    const erf = g.op('Erf', [g.op('Div', [inter, sqrt2], `${p}/gelu_div`)], `${p}/gelu_erf`);
    const gelu = g.op('Mul', [g.op('Mul', [inter, g.op('Add', [erf, one], `${p}/gelu_add`)], `${p}/gelu_mul`), half], `${p}/gelu`);
    const out = linear(gelu, lw.ffnOut, `${p}.output.dense`);
    hidden = layerNorm(g.op('Add', [out, h1], `${p}/ffn_residual`), lw.outNorm, `${p}.output.LayerNorm`);
  }

  const output = g.op('Identity', [hidden], 'last_hidden_state');
  const graph = g.build(
    'bert_encoder',
    [
      { name: inputIds, elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] },
      { name: attentionMask, elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] },
      { name: tokenTypeIds, elemType: DataType.INT64, shape: ['batch_size', 'sequence_length'] },
    ],
    [{ name: output, elemType: DataType.FLOAT, shape: ['batch_size', 'sequence_length', h] }],
  );
  return { graph, opset: 17, producerName: 'topicstream', producerVersion: '0.1.0', docString: opts.docString };
}
