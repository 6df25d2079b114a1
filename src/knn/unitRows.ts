/**
 * The rows of a matrix L2-normalised once into the SIMD kernel's memory (simdDot.ts), so that the
 * cosine distance of two rows is 1 - their dot product. Rows are padded to the kernel's step;
 * scratch rows after them hold queries (a tree's hyperplane), one per thread. In shared memory,
 * worker threads attach to the same rows (UnitRows.attach).
 */
import type { Matrix } from '../core/types.js';
import { attachDotKernel, createDotKernel, DOT_STEP_FLOATS, type DotFn, type DotKernel, type DotKernelHandle } from './simdDot.js';

/** What a worker thread needs to attach to shared rows. */
export interface UnitRowsHandle {
  kernel: DotKernelHandle;
  n: number;
  stride: number;
  scratchRows: number;
}

export class UnitRows {
  /** floats per stored row (dim rounded up to the kernel's step) */
  readonly stride: number;
  readonly rowBytes: number;
  /** the kernel's memory: n rows, then the scratch rows */
  readonly f32: Float32Array;
  readonly dot: DotFn;
  readonly simd: boolean;
  /** for UnitRows.attach in another thread (shared rows only) */
  readonly handle: UnitRowsHandle | null;

  private constructor(readonly n: number, stride: number, readonly scratchRows: number, kernel: DotKernel) {
    this.stride = stride;
    this.rowBytes = stride * 4;
    this.f32 = kernel.f32;
    this.dot = kernel.dot;
    this.simd = kernel.simd;
    this.handle = kernel.handle ? { kernel: kernel.handle, n, stride, scratchRows } : null;
  }

  /** The rows of x, normalised; `shared`: in memory that worker threads can attach to; `scratchRows`: one per thread (default 1). */
  static of(x: Matrix, o: { shared?: boolean; forceJs?: boolean; scratchRows?: number } = {}): UnitRows {
    const { rows: n, cols: dim, data } = x;
    const stride = Math.max(DOT_STEP_FLOATS, Math.ceil(dim / DOT_STEP_FLOATS) * DOT_STEP_FLOATS);
    const scratchRows = Math.max(1, o.scratchRows ?? 1);
    const rows = new UnitRows(n, stride, scratchRows, createDotKernel((n + scratchRows) * stride, o));
    const mem = rows.f32;
    for (let i = 0; i < n; i++) {
      const src = i * dim;
      let s = 0;
      for (let t = 0; t < dim; t++) s += data[src + t]! * data[src + t]!;
      // a zero row stays zero: at distance 1 from everything
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      const dst = i * stride;
      for (let t = 0; t < dim; t++) mem[dst + t] = data[src + t]! * inv;
    }
    return rows;
  }

  static attach(h: UnitRowsHandle): UnitRows {
    return new UnitRows(h.n, h.stride, h.scratchRows, attachDotKernel(h.kernel));
  }

  /** Cosine distance of rows p and q (1 - dot, never below 0). */
  distance(p: number, q: number): number {
    const d = 1 - this.dot(p * this.rowBytes, q * this.rowBytes, this.rowBytes);
    return d > 0 ? d : 0;
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
