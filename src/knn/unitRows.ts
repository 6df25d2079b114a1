/**
 * The rows of a matrix L2-normalised once into the SIMD kernel's memory (simdDot.ts), so that the
 * cosine distance of two rows is 1 - their dot product. Rows are padded to the kernel's step; one
 * scratch row after them holds a query (a tree's hyperplane). In shared memory, worker threads
 * attach to the same rows (UnitRows.attach).
 */
import type { Matrix } from '../core/types.js';
import { attachDotKernel, createDotKernel, DOT_STEP_FLOATS, type DotFn, type DotKernel, type DotKernelHandle } from './simdDot.js';

/** What a worker thread needs to attach to shared rows. */
export interface UnitRowsHandle {
  kernel: DotKernelHandle;
  n: number;
  stride: number;
}

export class UnitRows {
  /** floats per stored row (dim rounded up to the kernel's step) */
  readonly stride: number;
  readonly rowBytes: number;
  /** the kernel's memory: n rows, then the scratch row */
  readonly f32: Float32Array;
  readonly dot: DotFn;
  readonly simd: boolean;
  /** float offset of the scratch row */
  readonly scratch: number;
  /** for UnitRows.attach in another thread (shared rows only) */
  readonly handle: UnitRowsHandle | null;

  private constructor(readonly n: number, stride: number, kernel: DotKernel) {
    this.stride = stride;
    this.rowBytes = stride * 4;
    this.f32 = kernel.f32;
    this.dot = kernel.dot;
    this.simd = kernel.simd;
    this.scratch = n * stride;
    this.handle = kernel.handle ? { kernel: kernel.handle, n, stride } : null;
  }

  /** The rows of x, normalised; `shared`: in memory that worker threads can attach to. */
  static of(x: Matrix, o: { shared?: boolean; forceJs?: boolean } = {}): UnitRows {
    const { rows: n, cols: dim, data } = x;
    const stride = Math.max(DOT_STEP_FLOATS, Math.ceil(dim / DOT_STEP_FLOATS) * DOT_STEP_FLOATS);
    const rows = new UnitRows(n, stride, createDotKernel((n + 1) * stride, o));
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
    return new UnitRows(h.n, h.stride, attachDotKernel(h.kernel));
  }

  /** Cosine distance of rows p and q (1 - dot, never below 0). */
  distance(p: number, q: number): number {
    const d = 1 - this.dot(p * this.rowBytes, q * this.rowBytes, this.rowBytes);
    return d > 0 ? d : 0;
  }

  /** Dot product of row p with the scratch row. */
  dotScratch(p: number): number {
    return this.dot(p * this.rowBytes, this.scratch * 4, this.rowBytes);
  }
}
