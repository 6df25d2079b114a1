/**
 * Reads a .safetensors file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data.
 */

export interface SafeTensor {
  dtype: string;
  shape: number[];
  /** the tensor's bytes (a view into the file buffer) */
  bytes: Uint8Array;
}

export type SafeTensors = Map<string, SafeTensor>;

export function parseSafetensors(file: Uint8Array): SafeTensors {
  if (file.length < 8) throw new Error('safetensors: file too short');
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLen = Number(dv.getBigUint64(0, true));
  if (8 + headerLen > file.length) throw new Error(`safetensors: header length ${headerLen} exceeds file size ${file.length}`);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLen))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLen;
  const out: SafeTensors = new Map();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [start, end] = info.data_offsets;
    if (base + end > file.length || start > end) throw new Error(`safetensors: tensor ${name} has bad offsets ${start}..${end}`);
    out.set(name, { dtype: info.dtype, shape: info.shape, bytes: file.subarray(base + start, base + end) });
  }
  return out;
}

/** A float32 tensor's values as a fresh, aligned Float32Array (checks dtype and shape). */
export function readF32(tensors: SafeTensors, name: string, shape?: readonly number[]): Float32Array {
  const t = tensors.get(name);
  if (!t) throw new Error(`safetensors: missing tensor ${name}`);
  if (t.dtype !== 'F32') throw new Error(`safetensors: tensor ${name} is ${t.dtype}, expected F32`);
  if (shape && (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i]))) {
    throw new Error(`safetensors: tensor ${name} has shape [${t.shape}], expected [${shape}]`);
  }
  // Copy: the view may not be 4-byte aligned, and the file buffer is freed after conversion.
  const copy = new Uint8Array(t.bytes.length);
  copy.set(t.bytes);
  return new Float32Array(copy.buffer);
}
