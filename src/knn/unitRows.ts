/**
 * The rows of a matrix L2-normalised once into the SIMD kernel's memory (simdDot.ts), so that the
 * cosine distance of two rows is 1 - their dot product. Rows are padded to the kernel's step;
 * scratch rows after them hold queries (a tree's hyperplane), one per thread. In shared memory,
 * worker threads attach to the same rows (UnitRows.attach).
 *
 * After them, a quantised copy for the search (`approx`): each unit row times its own scale (at
 * most QUANT_MAX_SCALE, its largest component at 32767) rounded to int16, and 1 / its length. Its dot
 * products (simdDot.ts dotI16) cost about 0.6x the float32 ones on 384-d rows (half the bytes, half
 * the vector operations) and are within 5e-5 of them (rms 8e-6 on tweets); NN-descent
 * ranks candidates with them and reports float32 distances (`distance`) of the final lists.
 */
import type { Matrix } from '../core/types.js';
import { attachDotKernel, createDotKernel, DOT_STEP_FLOATS, type DotFn, type DotKernel, type DotKernelHandle, type DotsFn } from './simdDot.js';

/**
 * Largest scale of a quantised row: the int32 sum of a dot product stays below 2^31 in magnitude
 * (|sum| <= scale^2 * |a||b| plus rounding, and |a| = |b| = 1), with room for the rounding.
 */
const QUANT_MAX_SCALE = 46000;

/** What a worker thread needs to attach to shared rows. */
export interface UnitRowsHandle {
  kernel: DotKernelHandle;
  n: number;
  stride: number;
  scratchRows: number;
  batch: number;
}

export class UnitRows {
  /** floats per stored row (dim rounded up to the kernel's step) */
  readonly stride: number;
  readonly rowBytes: number;
  /** the kernel's memory: n rows, then the scratch rows */
  readonly f32: Float32Array;
  readonly dot: DotFn;
  readonly simd: boolean;
  /** byte offset of the first quantised row, and bytes per quantised row (a multiple of 64) */
  readonly qBase: number;
  readonly qRowBytes: number;
  /** per row, 1 / the length of its quantised copy (in the kernel's memory) */
  readonly invScale: Float32Array;
  readonly dotQ: DotFn;
  private readonly dotsQ: DotsFn;
  /** row indices of thread s's batch (dotsBatch) start at batchIds[s * batchStride] */
  readonly batchIds: Int32Array;
  /** and their dot products at batchOut[s * batchStride] */
  readonly batchOut: Int32Array;
  readonly batchStride: number;
  /** for UnitRows.attach in another thread (shared rows only) */
  readonly handle: UnitRowsHandle | null;

  private constructor(readonly n: number, stride: number, readonly scratchRows: number, readonly batch: number, kernel: DotKernel) {
    this.stride = stride;
    this.rowBytes = stride * 4;
    this.f32 = kernel.f32;
    this.dot = kernel.dot;
    this.simd = kernel.simd;
    this.handle = kernel.handle ? { kernel: kernel.handle, n, stride, scratchRows, batch } : null;
    const lay = layout(n, stride, scratchRows, batch);
    this.invScale = new Float32Array(kernel.f32.buffer, kernel.f32.byteOffset + lay.scaleFloat * 4, n);
    this.qBase = lay.qFloat * 4;
    this.qRowBytes = lay.qStride * 2;
    this.dotQ = kernel.dotI16;
    this.dotsQ = kernel.dotsI16;
    this.batchStride = lay.batchStride;
    this.batchIds = new Int32Array(kernel.f32.buffer, kernel.f32.byteOffset + lay.batchFloat * 4, scratchRows * lay.batchStride);
    this.batchOut = new Int32Array(kernel.f32.buffer, kernel.f32.byteOffset + (lay.batchFloat + scratchRows * lay.batchStride) * 4, scratchRows * lay.batchStride);
  }

  /**
   * The rows of x, normalised; `shared`: in memory that worker threads can attach to; `scratchRows`:
   * one per thread (default 1); `batch`: the most rows a thread's dotsBatch takes (default 0).
   */
  static of(x: Matrix, o: { shared?: boolean; forceJs?: boolean; scratchRows?: number; batch?: number } = {}): UnitRows {
    const { rows: n, cols: dim, data } = x;
    const stride = Math.max(DOT_STEP_FLOATS, Math.ceil(dim / DOT_STEP_FLOATS) * DOT_STEP_FLOATS);
    const scratchRows = Math.max(1, o.scratchRows ?? 1);
    const batch = Math.max(0, o.batch ?? 0);
    const rows = new UnitRows(n, stride, scratchRows, batch, createDotKernel(layout(n, stride, scratchRows, batch).floats, o));
    const mem = rows.f32;
    const q16 = rows.q16();
    for (let i = 0; i < n; i++) {
      // a zero row stays zero: at distance 1 from everything
      rows.invScale[i] = quantise(data, i * dim, dim, q16, i * (rows.qRowBytes >> 1), mem, i * stride);
    }
    return rows;
  }

  static attach(h: UnitRowsHandle): UnitRows {
    return new UnitRows(h.n, h.stride, h.scratchRows, h.batch, attachDotKernel(h.kernel));
  }

  /**
   * The quantised dot products of row p (or n + s: quantised scratch row s) with the rows
   * batchIds[at .. at + count), into batchOut[at ..] (`at` within thread s's batch: s * batchStride
   * <= at, at + count <= (s + 1) * batchStride - 4). Four rows per step of the kernel, so up to 3
   * entries after them are computed too: any row index there will do (the batch starts as zeros).
   */
  dotsBatch(p: number, at: number, count: number): void {
    this.dotsQ(this.qBase + p * this.qRowBytes, this.batchIds.byteOffset + at * 4, count, this.qRowBytes, this.qBase, this.batchOut.byteOffset + at * 4);
  }

  /** The cosine distance (as `approx`) of rows p and q from their quantised dot product. */
  approxOf(dotQ: number, p: number, q: number): number {
    // the product of the scales first: the same distance for (p, q) and (q, p), to the bit; and
    // as a float32, as the lists store it (compared with stored ones, it orders them consistently)
    const d = Math.fround(1 - dotQ * (this.invScale[p]! * this.invScale[q]!));
    return d > 0 ? d : 0;
  }

  /** Cosine distance of rows p and q (1 - dot, never below 0). */
  distance(p: number, q: number): number {
    const d = 1 - this.dot(p * this.rowBytes, q * this.rowBytes, this.rowBytes);
    return d > 0 ? d : 0;
  }

  /** Cosine distance of rows p and q from their quantised copies (within 5e-5 of `distance`; never below 0). */
  approx(p: number, q: number): number {
    return this.approxOf(this.dotQ(this.qBase + p * this.qRowBytes, this.qBase + q * this.qRowBytes, this.qRowBytes), p, q);
  }

  /** The quantised rows, then one quantised scratch row per thread. */
  q16(): Int16Array {
    return new Int16Array(this.f32.buffer, this.f32.byteOffset + this.qBase, (this.n + this.scratchRows) * (this.qRowBytes >> 1));
  }

  /**
   * Quantises scratch row s (a tree's hyperplane, any length: scaled to unit first) as row n + s of dotsBatch;
   * false when it is zero (nothing to quantise).
   */
  quantiseScratch(s: number, q16: Int16Array): boolean {
    const at = this.scratch(s);
    return quantise(this.f32, at, this.stride, q16, (this.n + s) * (this.qRowBytes >> 1)) > 0;
  }

  /** Float offset of scratch row s (each thread writes its own). */
  scratch(s: number): number {
    if (!(s >= 0 && s < this.scratchRows)) throw new Error(`UnitRows: no scratch row ${s} (${this.scratchRows})`);
    return (this.n + s) * this.stride;
  }

  /** Dot product of row p with scratch row s. */
  dotScratch(p: number, s: number): number {
    return this.dot(p * this.rowBytes, (this.n + s) * this.rowBytes, this.rowBytes);
  }
}

/**
 * Where things are in the kernel's memory (in floats): rows, scratch rows, the scales, the
 * quantised rows, then per thread a batch of row indices and one of dot products (`batch` rounded
 * up to 4, and 4 more: dotsBatch's last step of four).
 */
function layout(n: number, stride: number, scratchRows: number, batch: number): { scaleFloat: number; qFloat: number; qStride: number; batchFloat: number; batchStride: number; floats: number } {
  const scaleFloat = (n + scratchRows) * stride;
  const qFloat = scaleFloat + Math.ceil(n / DOT_STEP_FLOATS) * DOT_STEP_FLOATS;
  const qStride = Math.ceil(stride / 32) * 32;
  const batchFloat = qFloat + ((n + scratchRows) * qStride) / 2;
  const batchStride = batch > 0 ? Math.ceil(batch / 4) * 4 + 4 : 0;
  return { scaleFloat, qFloat, qStride, batchFloat, batchStride, floats: batchFloat + 2 * scratchRows * batchStride };
}

/**
 * The `len` floats at src[from] scaled to unit length (written to unit[at] if given), times the
 * row's scale, rounded into q16[to]; returns 1 / the length of the rounded row (so that a row's
 * quantised cosine with itself is 1; 0 for a zero row).
 */
function quantise(src: Float32Array, from: number, len: number, q16: Int16Array, to: number, unit?: Float32Array, at = 0): number {
  let ss = 0;
  let top = 0;
  for (let t = from; t < from + len; t++) {
    const v = src[t]!;
    ss += v * v;
    top = Math.max(top, Math.abs(v));
  }
  if (!(top > 0)) {
    q16.fill(0, to, to + len);
    return 0;
  }
  const inv = 1 / Math.sqrt(ss);
  const f = Math.min(QUANT_MAX_SCALE, 32767 / (top * inv)) * inv;
  let qq = 0;
  for (let t = 0; t < len; t++) {
    const v = src[from + t]!;
    if (unit) unit[at + t] = v * inv;
    // rounded (half up; no branch on the sign); |q| <= 32767
    const q = Math.floor(v * f + 0.5) | 0;
    q16[to + t] = q;
    qq += q * q;
  }
  return 1 / Math.sqrt(qq);
}
