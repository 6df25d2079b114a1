/**
 * Typed arrays <-> base64 strings, for JSON snapshots. The bytes are the platform's (little-endian
 * on every platform Node runs on in practice); decoding copies into a fresh, aligned buffer.
 */

type TypedCtor<T> = { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

export function toBase64(a: Float32Array | Float64Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64<T>(s: string, ctor: TypedCtor<T>, what: string): T {
  if (typeof s !== 'string') throw new Error(`snapshot: ${what} must be a base64 string`);
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`snapshot: ${what} has ${bytes.byteLength} bytes, not a multiple of ${ctor.BYTES_PER_ELEMENT}`);
  }
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  return new ctor(buf);
}

export const float32FromBase64 = (s: string, what: string): Float32Array => fromBase64(s, Float32Array, what);
export const float64FromBase64 = (s: string, what: string): Float64Array => fromBase64(s, Float64Array, what);
export const int32FromBase64 = (s: string, what: string): Int32Array => fromBase64(s, Int32Array, what);
