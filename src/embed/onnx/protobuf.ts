/**
 * A minimal protocol-buffers writer: just enough of the wire format to emit ONNX models.
 *
 * Messages are built as lists of byte chunks instead of one growing buffer, because an ONNX model
 * is mostly a few large raw tensors (the word-embedding table alone is 47 MB): keeping them as
 * chunks means each weight is copied once, when the file is written, and never re-buffered while
 * the nested message lengths are worked out.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Bytes of a varint encoding of a non-negative integer or bigint (negatives as 64-bit two's complement). */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = typeof value === 'bigint' ? value : BigInt(value);
  // Protobuf encodes negative int32/int64 as the 10-byte two's complement of the 64-bit value.
  if (v < 0n) v = BigInt.asUintN(64, v);
  if (v <= 0x7fn) return Uint8Array.of(Number(v));
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** The 4 (float32) or 8 (float64) little-endian bytes of a number. */
function littleEndian(value: number, size: 4 | 8): Uint8Array {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  if (size === 4) dv.setFloat32(0, value, true);
  else dv.setFloat64(0, value, true);
  return b;
}

/** A message under construction: append fields in field-number order, then nest or serialise it. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  get byteLength(): number {
    return this.size;
  }

  private push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private tag(field: number, wire: number): void {
    this.push(encodeVarint((field << 3) | wire));
  }

  /** int32/int64/uint64/enum/bool field. */
  varint(field: number, value: number | bigint | boolean): this {
    this.tag(field, WIRE_VARINT);
    this.push(encodeVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value));
    return this;
  }

  /** float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.push(littleEndian(value, 4));
    return this;
  }

  /** double field (fixed64, little-endian). */
  double(field: number, value: number): this {
    this.tag(field, WIRE_FIXED64);
    this.push(littleEndian(value, 8));
    return this;
  }

  /** bytes field; the bytes are referenced, not copied. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.push(encodeVarint(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** Embedded message field: the child's chunks are adopted, not copied. */
  message(field: number, child: ProtoWriter): this {
    this.tag(field, WIRE_LEN);
    this.push(encodeVarint(child.size));
    for (const c of child.chunks) this.push(c);
    return this;
  }

  /** Packed repeated varints (int64 dims, ints attributes). */
  packedVarints(field: number, values: ReadonlyArray<number | bigint>): this {
    const parts = values.map((v) => encodeVarint(v));
    const len = parts.reduce((s, p) => s + p.length, 0);
    this.tag(field, WIRE_LEN);
    this.push(encodeVarint(len));
    for (const p of parts) this.push(p);
    return this;
  }

  /** Packed repeated floats. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i]!, true);
    return this.bytes(field, b);
  }

  /** The chunks making up the serialised message, in order (for streaming to a file). */
  parts(): readonly Uint8Array[] {
    return this.chunks;
  }

  /** The whole message as one buffer (copies; fine for small messages and tests). */
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
