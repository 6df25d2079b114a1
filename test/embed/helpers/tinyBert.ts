/**
 * A tiny random BERT for tests that need no real model: its weights as a safetensors file (in
 * HuggingFace naming) and a plain-loop forward pass to check the ONNX graph against.
 */
import { mulberry32 } from '../../../src/core/random.js';

export interface TinyBert {
  config: Record<string, unknown>;
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

export function makeTinyBert(seed = 1, o = { hidden: 16, heads: 4, layers: 2, inter: 32, vocab: 50, positions: 40 }): TinyBert {
  const r = mulberry32(seed);
  const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  const put = (name: string, shape: number[], scale: number, around = 0) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = rand(n, scale);
    if (around) for (let i = 0; i < n; i++) data[i]! += around;
    tensors.set(name, { shape, data });
  };
  const h = o.hidden;
  put('embeddings.word_embeddings.weight', [o.vocab, h], 0.5);
  put('embeddings.position_embeddings.weight', [o.positions, h], 0.2);
  put('embeddings.token_type_embeddings.weight', [2, h], 0.1);
  put('embeddings.LayerNorm.weight', [h], 0.1, 1);
  put('embeddings.LayerNorm.bias', [h], 0.1);
  for (let l = 0; l < o.layers; l++) {
    const p = `encoder.layer.${l}`;
    for (const n of ['query', 'key', 'value']) {
      put(`${p}.attention.self.${n}.weight`, [h, h], 0.4);
      put(`${p}.attention.self.${n}.bias`, [h], 0.1);
    }
    put(`${p}.attention.output.dense.weight`, [h, h], 0.3);
    put(`${p}.attention.output.dense.bias`, [h], 0.1);
    put(`${p}.attention.output.LayerNorm.weight`, [h], 0.1, 1);
    put(`${p}.attention.output.LayerNorm.bias`, [h], 0.1);
    put(`${p}.intermediate.dense.weight`, [o.inter, h], 0.3);
    put(`${p}.intermediate.dense.bias`, [o.inter], 0.1);
    put(`${p}.output.dense.weight`, [h, o.inter], 0.2);
    put(`${p}.output.dense.bias`, [h], 0.1);
    put(`${p}.output.LayerNorm.weight`, [h], 0.1, 1);
    put(`${p}.output.LayerNorm.bias`, [h], 0.1);
  }
  const config = {
    model_type: 'bert',
    hidden_act: 'gelu',
    hidden_size: h,
    num_hidden_layers: o.layers,
    num_attention_heads: o.heads,
    intermediate_size: o.inter,
    vocab_size: o.vocab,
    max_position_embeddings: o.positions,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    position_embedding_type: 'absolute',
  };
  return { config, tensors };
}

/** The tensors as a .safetensors file. */
export function toSafetensors(t: TinyBert): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const [name, { shape, data }] of t.tensors) {
    header[name] = { dtype: 'F32', shape, data_offsets: [off, off + data.byteLength] };
    off += data.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8) json += ' ';
  const hdr = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hdr.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hdr.length), true);
  out.set(hdr, 8);
  let at = 8 + hdr.length;
  for (const { data } of t.tensors.values()) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is too coarse for a 1e-5 check; use a series / continued fraction.
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = 0;
    let term = ax;
    for (let n = 0; n < 60; n++) {
      sum += term / (2 * n + 1);
      term *= (-ax * ax) / (n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|
  let f = 0;
  for (let k = 60; k >= 1; k--) f = (k / 2) / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

/**
 * BERT forward pass in float64 loops: last_hidden_state [batch, seq, hidden] for right-padded
 * ids with the given real lengths (token types all 0).
 */
export function referenceForward(t: TinyBert, ids: number[][], lengths: number[]): Float64Array {
  const c = t.config as { hidden_size: number; num_attention_heads: number; num_hidden_layers: number; intermediate_size: number; layer_norm_eps: number };
  const h = c.hidden_size;
  const heads = c.num_attention_heads;
  const dh = h / heads;
  const W = (n: string) => t.tensors.get(n)!.data;
  const B = ids.length;
  const S = ids[0]!.length;
  const out = new Float64Array(B * S * h);
  const ln = (x: Float64Array, g: Float32Array, b: Float32Array) => {
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    let v2 = 0;
    for (const v of x) v2 += (v - m) * (v - m);
    v2 /= x.length;
    const s = 1 / Math.sqrt(v2 + c.layer_norm_eps);
    return Float64Array.from(x, (v, i) => (v - m) * s * g[i]! + b[i]!);
  };
  // torch Linear: y = x W^T + b, W [out, in]
  const lin = (x: Float64Array, name: string, outDim: number) => {
    const w = W(`${name}.weight`);
    const b = W(`${name}.bias`);
    const inDim = x.length;
    const y = new Float64Array(outDim);
    for (let o = 0; o < outDim; o++) {
      let s = b[o]!;
      for (let i = 0; i < inDim; i++) s += w[o * inDim + i]! * x[i]!;
      y[o] = s;
    }
    return y;
  };
  for (let bi = 0; bi < B; bi++) {
    let hs: Float64Array[] = [];
    for (let s = 0; s < S; s++) {
      const x = new Float64Array(h);
      const id = ids[bi]![s]!;
      for (let d = 0; d < h; d++) {
        x[d] = W('embeddings.word_embeddings.weight')[id * h + d]! + W('embeddings.position_embeddings.weight')[s * h + d]! + W('embeddings.token_type_embeddings.weight')[d]!;
      }
      hs.push(ln(x, W('embeddings.LayerNorm.weight'), W('embeddings.LayerNorm.bias')));
    }
    for (let l = 0; l < c.num_hidden_layers; l++) {
      const p = `encoder.layer.${l}`;
      const q = hs.map((x) => lin(x, `${p}.attention.self.query`, h));
      const k = hs.map((x) => lin(x, `${p}.attention.self.key`, h));
      const v = hs.map((x) => lin(x, `${p}.attention.self.value`, h));
      const next: Float64Array[] = [];
      for (let s = 0; s < S; s++) {
        const ctx = new Float64Array(h);
        for (let hd = 0; hd < heads; hd++) {
          const scores = new Float64Array(lengths[bi]!);
          let mx = -Infinity;
          for (let j = 0; j < lengths[bi]!; j++) {
            let sc = 0;
            for (let d = 0; d < dh; d++) sc += q[s]![hd * dh + d]! * k[j]![hd * dh + d]!;
            scores[j] = sc / Math.sqrt(dh);
            mx = Math.max(mx, scores[j]!);
          }
          let z = 0;
          for (let j = 0; j < scores.length; j++) z += (scores[j] = Math.exp(scores[j]! - mx));
          for (let j = 0; j < scores.length; j++) for (let d = 0; d < dh; d++) ctx[hd * dh + d]! += (scores[j]! / z) * v[j]![hd * dh + d]!;
        }
        const a = lin(ctx, `${p}.attention.output.dense`, h);
        const h1 = ln(Float64Array.from(a, (x, i) => x + hs[s]![i]!), W(`${p}.attention.output.LayerNorm.weight`), W(`${p}.attention.output.LayerNorm.bias`));
        const inter = lin(h1, `${p}.intermediate.dense`, c.intermediate_size).map((x) => 0.5 * x * (1 + erf(x / Math.SQRT2)));
        const o = lin(inter, `${p}.output.dense`, h);
        next.push(ln(Float64Array.from(o, (x, i) => x + h1[i]!), W(`${p}.output.LayerNorm.weight`), W(`${p}.output.LayerNorm.bias`)));
      }
      hs = next;
    }
    for (let s = 0; s < S; s++) out.set(hs[s]!, (bi * S + s) * h);
  }
  return out;
}
