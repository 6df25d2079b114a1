/**
 * Symmetric int8 weight quantization (zero point 0, range [-127, 127]).
 *
 * Per output channel rather than per tensor: a linear layer's columns differ a lot in magnitude, and
 * one scale per column keeps the small ones from rounding to a handful of levels. MatMulInteger
 * accepts a per-column weight zero point and the per-column scale is applied after the integer
 * product, so this costs nothing at run time.
 */

export interface QuantizedMatrix {
  q: Int8Array;
  scales: Float32Array;
}

const QMAX = 127;

/** Quantizes a row-major [k, n] matrix with one scale per column. */
export function quantizePerColumn(w: Float32Array, k: number, n: number): QuantizedMatrix {
  if (w.length !== k * n) throw new Error(`quantizePerColumn: ${w.length} values, expected ${k}x${n}`);
  const maxAbs = new Float32Array(n);
  for (let r = 0; r < k; r++) {
    const off = r * n;
    for (let c = 0; c < n; c++) {
      const a = Math.abs(w[off + c]!);
      if (a > maxAbs[c]!) maxAbs[c] = a;
    }
  }
  const scales = new Float32Array(n);
  for (let c = 0; c < n; c++) scales[c] = maxAbs[c]! > 0 ? maxAbs[c]! / QMAX : 1;
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) {
    const off = r * n;
    for (let c = 0; c < n; c++) q[off + c] = clampRound(w[off + c]! / scales[c]!);
  }
  return { q, scales };
}

/** Quantizes a row-major [rows, cols] table (an embedding table) with one scale per row. */
export function quantizePerRow(w: Float32Array, rows: number, cols: number): QuantizedMatrix {
  if (w.length !== rows * cols) throw new Error(`quantizePerRow: ${w.length} values, expected ${rows}x${cols}`);
  const scales = new Float32Array(rows);
  const q = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    let m = 0;
    for (let c = 0; c < cols; c++) m = Math.max(m, Math.abs(w[off + c]!));
    const s = m > 0 ? m / QMAX : 1;
    scales[r] = s;
    for (let c = 0; c < cols; c++) q[off + c] = clampRound(w[off + c]! / s);
  }
  return { q, scales };
}

function clampRound(x: number): number {
  const r = Math.round(x);
  return r > QMAX ? QMAX : r < -QMAX ? -QMAX : r;
}
