/**
 * The rows of a matrix L2-normalised once into the SIMD kernel's memory (simdDot.ts), so that the
 * cosine distance of two rows is 1 - their dot product. Rows are padded to the kernel's step; one
 * scratch row after them holds a query (a tree's hyperplane).
 */
import type { Matrix } from '../core/types.js';
import { createDotKernel, DOT_STEP_FLOATS, type DotFn } from './simdDot.js';

export class UnitRows {
  readonly n: number;
  /** floats per stored row (dim rounded up to the kernel's step) */
  readonly stride: number;
  readonly rowBytes: number;
  /** the kernel's memory: n rows, then the scratch row */
  readonly f32: Float32Array;
  readonly dot: DotFn;
  readonly simd: boolean;
  /** float offset of the scratch row */
  readonly scratch: number;

  constructor(x: Matrix, forceJs = false) {
    const { rows: n, cols: dim, data } = x;
    this.n = n;
    this.stride = Math.max(DOT_STEP_FLOATS, Math.ceil(dim / DOT_STEP_FLOATS) * DOT_STEP_FLOATS);
    this.rowBytes = this.stride * 4;
    const kernel = createDotKernel((n + 1) * this.stride, forceJs);
    this.f32 = kernel.f32;
    this.dot = kernel.dot;
    this.simd = kernel.simd;
    this.scratch = n * this.stride;
    const mem = this.f32;
    for (let i = 0; i < n; i++) {
      const o = i * dim;
      let s = 0;
      for (let t = 0; t < dim; t++) s += data[o + t]! * data[o + t]!;
      // a zero row stays zero: at distance 1 from everything
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      const m = i * this.stride;
      for (let t = 0; t < dim; t++) mem[m + t] = data[o + t]! * inv;
    }
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
