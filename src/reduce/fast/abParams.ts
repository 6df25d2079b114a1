/**
 * The a, b of UMAP's low-dimensional similarity 1 / (1 + a d^(2b)), fitted (least squares) to the
 * curve min_dist/spread describe: 1 for d < min_dist, exp(-(d - min_dist) / spread) beyond, on 300
 * points in [0, 3 spread] (umap-learn `find_ab_params`, which uses scipy's curve_fit).
 * Levenberg-Marquardt on two parameters; min_dist 0, spread 1 gives a = 1.9328, b = 0.7905.
 */
export function findAbParams(spread: number, minDist: number): { a: number; b: number } {
  const m = 300;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const x = (3 * spread * i) / (m - 1);
    xs[i] = x;
    ys[i] = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
  }
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  let err = sse(xs, ys, a, b);
  for (let it = 0; it < 200; it++) {
    // Normal equations J^T J and J^T r for f(x) = 1 / (1 + a x^(2b)).
    let jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    for (let i = 0; i < m; i++) {
      const x = xs[i]!;
      if (x <= 0) continue; // f(0) = 1 for any a, b > 0: no gradient
      const u = Math.pow(x, 2 * b);
      const den = 1 + a * u;
      const f = 1 / den;
      const r = ys[i]! - f;
      const dfa = -u / (den * den);
      const dfb = (-a * u * 2 * Math.log(x)) / (den * den);
      jaa += dfa * dfa;
      jab += dfa * dfb;
      jbb += dfb * dfb;
      ga += dfa * r;
      gb += dfb * r;
    }
    // Solve (J^T J + lambda diag(J^T J)) delta = J^T r
    const A = jaa * (1 + lambda);
    const B = jab;
    const D = jbb * (1 + lambda);
    const det = A * D - B * B;
    if (!(Math.abs(det) > 1e-300)) break;
    const da = (D * ga - B * gb) / det;
    const db = (A * gb - B * ga) / det;
    const na = a + da;
    const nb = b + db;
    const nerr = na > 0 && nb > 0 ? sse(xs, ys, na, nb) : Infinity;
    if (nerr < err) {
      const improvement = err - nerr;
      a = na;
      b = nb;
      err = nerr;
      lambda = Math.max(lambda / 10, 1e-12);
      if (improvement < 1e-15 * Math.max(1, err) && Math.abs(da) < 1e-12 && Math.abs(db) < 1e-12) break;
    } else {
      lambda *= 10;
      if (lambda > 1e12) break;
    }
  }
  return { a, b };
}

function sse(xs: Float64Array, ys: Float64Array, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const f = 1 / (1 + a * Math.pow(xs[i]!, 2 * b));
    const r = ys[i]! - f;
    s += r * r;
  }
  return s;
}
