/**
 * x^b for x > 0 (a normal float64, as every squared distance of a float32 layout is, else the slow
 * way), faster than `Math.exp(b * Math.log(x))` (src/reduce/README.md, "The power in the layout
 * kernel"). The layout kernel (layoutKernel.ts) raises every sampled squared distance to UMAP's b:
 * six powers per edge sample, most of an epoch's time before this.
 *
 * How: x = 2^e * m with m in [1, 2) from the float64's exponent bits; ln m = ln c + ln(1 + r) with
 * c = 1 + i/128 the table point below m (top 7 mantissa bits) and r = m/c - 1 in [0, 1/128), a
 * 5-term series; then e^(b ln x) = 2^(k/64) * e^q with |q| <= ln2/128, a 5-term series. Relative
 * error within 1e-13 of Math.exp(b * Math.log(x)) (test/reduce/powPositive.test.ts allows 1e-11):
 * far below the float32 rounding of the layout's coordinates (6e-8).
 */

import { endianness } from 'node:os';

const BIAS = 1050;
/** POW2[BIAS + j] = 2^j, j in [-1050, 1049] */
const POW2 = Float64Array.from({ length: 2 * BIAS }, (_, i) => 2 ** (i - BIAS));
const LOG_C = Float64Array.from({ length: 128 }, (_, i) => Math.log(1 + i / 128));
const INV_C = Float64Array.from({ length: 128 }, (_, i) => 1 / (1 + i / 128));
const EXP2_64 = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
const bits = new Float64Array(1);
/** the word with the sign, the exponent and the top 20 mantissa bits */
const high = new Uint32Array(bits.buffer, endianness() === 'LE' ? 4 : 0, 1);

export function powPositive(x: number, b: number): number {
  bits[0] = x;
  const h = high[0]!;
  // not a normal positive float64 (never a squared distance of float32 coordinates): the slow way
  if ((h - 0x00100000) >>> 0 >= 0x7fe00000) return Math.exp(b * Math.log(x));
  const e = (h >>> 20) - 1023;
  const i = (h >>> 13) & 127;
  const r = x * POW2[BIAS - e]! * INV_C[i]! - 1;
  const y = b * (e * Math.LN2 + LOG_C[i]! + r * (1 - r * (0.5 - r * (1 / 3 - r * (0.25 - r * 0.2)))));
  const k = Math.round(y * (64 / Math.LN2));
  // x^b beyond float64's normal range: 0 or Infinity, as Math.exp gives
  if (k < -64 * 1022 || k >= 64 * 1024) return Math.exp(y);
  const q = y - k * (Math.LN2 / 64);
  return POW2[BIAS + (k >> 6)]! * EXP2_64[k & 63]! * (1 + q * (1 + q * (0.5 + q * (1 / 6 + q * (1 / 24)))));
}
