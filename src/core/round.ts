/** `x` rounded to `digits` decimal places (Math.round: halves up), for numbers written to JSON and logs. */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
