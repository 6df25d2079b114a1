/**
 * A dot-product kernel over float32 rows held in a WebAssembly memory, using 128-bit SIMD
 * (4 lanes, 4 accumulators, 16 floats per step). NN-descent spends nearly all its time in dot
 * products of 384-d rows; V8 runs this kernel 7-15x faster than the same loop over a
 * Float32Array in JavaScript (src/knn/README.md).
 *
 * The module is ~300 bytes, assembled below by hand (no toolchain at build time): two functions,
 * `dot(aByte, bByte, nBytes) -> f32` reading both rows from the imported memory, and `dotI16`, the
 * same over int16 rows (i32x4.dot_i16x8_s: half the bytes and half the vector operations of f32;
 * unitRows.ts keeps a quantised copy of the rows for it). nBytes must be a positive multiple of 64:
 * rows are stored with a stride padded to 16 floats, 32 int16s (zeros in the padding do not change
 * a dot product).
 */

// The few WebAssembly APIs used (the project's lib settings have no WebAssembly declarations).
interface WasmModule { readonly wasmModule?: never }
interface WasmMemory { readonly buffer: ArrayBuffer | SharedArrayBuffer }
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Floats per SIMD step of the kernel; row strides are padded to a multiple of this. */
export const DOT_STEP_FLOATS = 16;

/**
 * dot(aByte, bByte, nBytes): byte offsets of two rows in the kernel's memory, row length in bytes.
 * The same signature for dotI16 over rows of int16 (the exact integer sum, as an int32: the caller
 * keeps it below 2^31 in magnitude).
 */
export type DotFn = (aByte: number, bByte: number, nBytes: number) => number;

/**
 * dotsI16(aByte, listByte, count, rowBytes, base, outByte): the int16 dot products of the row at
 * aByte with the rows whose indices are the int32s at listByte (row j at base + j * rowBytes),
 * written as int32s from outByte. Rows are taken four at a time (each chunk of the first row loaded
 * once for four products): count is rounded up to a multiple of 4, so the list must hold valid row
 * indices up to there and the output has room for them (those extra results are to be ignored).
 */
export type DotsFn = (aByte: number, listByte: number, count: number, rowBytes: number, base: number, outByte: number) => void;

export interface DotKernel {
  /** the rows and any scratch space, as floats (the kernel's memory) */
  readonly f32: Float32Array;
  readonly dot: DotFn;
  readonly dotI16: DotFn;
  readonly dotsI16: DotsFn;
  /** true when the WebAssembly SIMD kernel runs; false on the plain JavaScript fallback */
  readonly simd: boolean;
  /** what another thread passes to attachDotKernel to share this memory (shared kernels only) */
  readonly handle: DotKernelHandle | null;
}

/** A shared kernel's memory, as posted to a worker thread. */
export interface DotKernelHandle {
  memory: WasmMemory | SharedArrayBuffer;
  floats: number;
  simd: boolean;
}

/**
 * A kernel whose memory holds at least `floats` float32 values (zero-filled); `shared`: in shared
 * memory, for worker threads to attach to. Falls back to a JavaScript loop with the same signature
 * when WebAssembly SIMD is unavailable (or `forceJs`).
 */
export function createDotKernel(floats: number, o: { shared?: boolean; forceJs?: boolean } = {}): DotKernel {
  const shared = o.shared === true;
  const mod = o.forceJs ? null : simdModule(shared);
  if (mod) {
    const pages = Math.max(1, Math.ceil((floats * 4) / 65536));
    const memory = new wasm!.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    return wasmKernel(mod, memory, floats, shared ? { memory, floats, simd: true } : null);
  }
  const buf = shared ? new SharedArrayBuffer(floats * 4) : new ArrayBuffer(floats * 4);
  return jsKernel(new Float32Array(buf), shared ? { memory: buf as SharedArrayBuffer, floats, simd: false } : null);
}

/** The kernel of another thread's shared memory (createDotKernel with shared: true). */
export function attachDotKernel(h: DotKernelHandle): DotKernel {
  if (!h.simd) return jsKernel(new Float32Array(h.memory as SharedArrayBuffer, 0, h.floats), null);
  const mod = simdModule(true);
  if (!mod) throw new Error('attachDotKernel: no WebAssembly SIMD in this thread');
  return wasmKernel(mod, h.memory as WasmMemory, h.floats, null);
}

function wasmKernel(mod: WasmModule, memory: WasmMemory, floats: number, handle: DotKernelHandle | null): DotKernel {
  const inst = new wasm!.Instance(mod, { env: { mem: memory } });
  const e = inst.exports;
  return { f32: new Float32Array(memory.buffer, 0, floats), dot: e.dot as DotFn, dotI16: e.dotI16 as DotFn, dotsI16: e.dotsI16 as DotsFn, simd: true, handle };
}

function jsKernel(f32: Float32Array, handle: DotKernelHandle | null): DotKernel {
  const dot: DotFn = (aByte, bByte, nBytes) => {
    const a = aByte >> 2;
    const b = bByte >> 2;
    const n = nBytes >> 2;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < n; t += 4) {
      s0 += f32[a + t]! * f32[b + t]!;
      s1 += f32[a + t + 1]! * f32[b + t + 1]!;
      s2 += f32[a + t + 2]! * f32[b + t + 2]!;
      s3 += f32[a + t + 3]! * f32[b + t + 3]!;
    }
    return Math.fround(s0 + s1 + s2 + s3);
  };
  const i16 = new Int16Array(f32.buffer, f32.byteOffset, f32.length * 2);
  const dotI16: DotFn = (aByte, bByte, nBytes) => {
    const a = aByte >> 1;
    const b = bByte >> 1;
    let s = 0;
    for (let t = 0, n = nBytes >> 1; t < n; t++) s += i16[a + t]! * i16[b + t]!;
    return s | 0;
  };
  const i32 = new Int32Array(f32.buffer, f32.byteOffset, f32.length);
  const dotsI16: DotsFn = (aByte, listByte, count, rowBytes, base, outByte) => {
    const list = listByte >> 2;
    const out = outByte >> 2;
    for (let j = 0; j < count; j++) i32[out + j] = dotI16(aByte, base + i32[list + j]! * rowBytes, rowBytes);
  };
  return { f32, dot, dotI16, dotsI16, simd: false, handle };
}

const compiled: Array<WasmModule | null | undefined> = [undefined, undefined];

/** The compiled module (importing a plain or a shared memory), once per thread; null without WebAssembly SIMD. */
function simdModule(shared: boolean): WasmModule | null {
  const slot = shared ? 1 : 0;
  if (compiled[slot] !== undefined) return compiled[slot]!;
  try {
    compiled[slot] = wasm ? new wasm.Module(assemble(shared)) : null;
  } catch {
    compiled[slot] = null;
  }
  return compiled[slot]!;
}

// --- the binary module -------------------------------------------------------------------------

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const localGet = (i: number): number[] => [0x20, i];
const localSet = (i: number): number[] => [0x21, i];
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const v128Load = (offset: number): number[] => simd(0x00, 2 /* align 4 bytes */, ...uleb(offset));
const F32X4_ADD = 0xe4;
const F32X4_MUL = 0xe6;
const F32X4_EXTRACT_LANE = 0x1f;
const F32_ADD = 0x92;
const I32_ADD = 0x6a;
const I32_LT_U = 0x49;
const I32_CONST = 0x41;

const I32_MUL = 0x6c;
const I32_SHL = 0x74;
const I32_LOAD = 0x28;
const I32_STORE = 0x36;
const LOCAL_TEE = 0x22;
const I32X4_ADD = 0xae;
const I32X4_DOT_I16X8_S = 0xba;
const I32X4_EXTRACT_LANE = 0x1b;

/**
 * One dot function: params 0 a, 1 b, 2 nBytes; locals 3 end (i32), 4..7 accumulators (v128, start
 * at zero); 64 bytes per step. f32: f32x4 products added; i16: i32x4.dot_i16x8_s (pairs of 16-bit
 * products summed into 32 bits), returning an i32.
 */
function dotBody(kind: 'f32' | 'i16'): number[] {
  const A = 0, B = 1, N = 2, END = 3, ACC = [4, 5, 6, 7] as const;
  const f = kind === 'f32';
  const mul = f ? simd(F32X4_MUL) : simd(I32X4_DOT_I16X8_S);
  const add = f ? simd(F32X4_ADD) : simd(I32X4_ADD);
  const lane = (i: number): number[] => [...localGet(ACC[0]), ...simd(f ? F32X4_EXTRACT_LANE : I32X4_EXTRACT_LANE, i)];
  const scalarAdd = f ? F32_ADD : I32_ADD;
  const step = (acc: number, off: number): number[] => [
    ...localGet(acc), ...localGet(A), ...v128Load(off), ...localGet(B), ...v128Load(off), ...mul, ...add, ...localSet(acc),
  ];
  const bump = (p: number): number[] => [...localGet(p), I32_CONST, ...sleb(64), I32_ADD, ...localSet(p)];
  const body = [
    ...localGet(A), ...localGet(N), I32_ADD, ...localSet(END),
    0x03, 0x40, // loop
    ...step(ACC[0], 0), ...step(ACC[1], 16), ...step(ACC[2], 32), ...step(ACC[3], 48),
    ...bump(A), ...bump(B),
    ...localGet(A), ...localGet(END), I32_LT_U, 0x0d, 0, // br_if loop
    0x0b, // end loop
    ...localGet(ACC[0]), ...localGet(ACC[1]), ...add,
    ...localGet(ACC[2]), ...localGet(ACC[3]), ...add, ...add, ...localSet(ACC[0]),
    ...lane(0), ...lane(1), scalarAdd, ...lane(2), ...lane(3), scalarAdd, scalarAdd,
    0x0b, // end function
  ];
  return [...vec([[1, I32], [4, V128]]), ...body];
}

/**
 * dotsI16: params 0 a, 1 list, 2 count, 3 rowBytes, 4 base, 5 out; locals 6 list end, 7..10 the
 * four rows' byte offsets, 11 the offset within the rows (i32), 12 the first row's chunk, 13..16
 * the four accumulators (v128). Per group of four list entries: 32 bytes of each row per step (two
 * chunks of the first row, each used four times), then each sum's lanes added and stored.
 */
function dotsBody(): number[] {
  const A = 0, LIST = 1, COUNT = 2, ROW = 3, BASE = 4, OUT = 5, END = 6, B = [7, 8, 9, 10], T = 11, VA = 12, ACC = [13, 14, 15, 16];
  const zero = simd(0x0c, ...new Array<number>(16).fill(0));
  const rowAt = (k: number): number[] => [...localGet(LIST), I32_LOAD, 2, ...uleb(4 * k), ...localGet(ROW), I32_MUL, ...localGet(BASE), I32_ADD, ...localSet(B[k]!)];
  const chunk = (off: number): number[] => [
    ...localGet(A), ...localGet(T), I32_ADD, ...v128Load(off), ...localSet(VA),
    ...B.flatMap((b, k) => [...localGet(ACC[k]!), ...localGet(VA), ...localGet(b), ...localGet(T), I32_ADD, ...v128Load(off), ...simd(I32X4_DOT_I16X8_S), ...simd(I32X4_ADD), ...localSet(ACC[k]!)]),
  ];
  const laneSum = (acc: number): number[] => [
    ...localGet(acc), ...simd(I32X4_EXTRACT_LANE, 0), ...localGet(acc), ...simd(I32X4_EXTRACT_LANE, 1), I32_ADD,
    ...localGet(acc), ...simd(I32X4_EXTRACT_LANE, 2), ...localGet(acc), ...simd(I32X4_EXTRACT_LANE, 3), I32_ADD, I32_ADD,
  ];
  const bump = (p: number, by: number): number[] => [...localGet(p), I32_CONST, ...sleb(by), I32_ADD, ...localSet(p)];
  const body = [
    ...localGet(LIST), ...localGet(COUNT), I32_CONST, 2, I32_SHL, I32_ADD, ...localSet(END),
    0x03, 0x40, // loop: a group of four
    ...B.flatMap((_, k) => rowAt(k)),
    ...ACC.flatMap((acc) => [...zero, ...localSet(acc)]),
    I32_CONST, 0, ...localSet(T),
    0x03, 0x40, // loop: 32 bytes of each row
    ...chunk(0), ...chunk(16),
    ...localGet(T), I32_CONST, ...sleb(32), I32_ADD, LOCAL_TEE, T, ...localGet(ROW), I32_LT_U, 0x0d, 0,
    0x0b,
    ...ACC.flatMap((acc, k) => [...localGet(OUT), ...laneSum(acc), I32_STORE, 2, ...uleb(4 * k)]),
    ...bump(OUT, 16), ...bump(LIST, 16),
    ...localGet(LIST), ...localGet(END), I32_LT_U, 0x0d, 0,
    0x0b,
    0x0b, // end function
  ];
  return [...vec([[6, I32], [5, V128]]), ...body];
}

function assemble(shared: boolean): Uint8Array {
  const bodies = [dotBody('f32'), dotBody('i16'), dotsBody()];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[F32]])],
      [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])],
    ])),
    // the memory import: plain (flag 0, at least 1 page) or shared (flag 3, 1 to 65536 pages)
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, ...(shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)])]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(7, vec([[...name('dot'), 0x00, 0], [...name('dotI16'), 0x00, 1], [...name('dotsI16'), 0x00, 2]])),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}
