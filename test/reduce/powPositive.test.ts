import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mulberry32 } from '../../src/core/random.js';
import { powPositive } from '../../src/reduce/fast/powPositive.js';

// The layout's squared distances: from float32 rounding noise (a subnormal float32 squared is
// ~1e-90) to far beyond UMAP's [0, 10] box, and the ends of float64; b from find_ab_params over
// the min_dist range.
test('powPositive(x, b) is Math.exp(b * Math.log(x)) within 1e-11, relative, over the range the layout meets', () => {
  const rng = new Mulberry32(3);
  let worst = 0;
  for (const b of [0.7905, 0.5, 0.8951, 1, 1.5, 2]) {
    const xs = [Number.MIN_VALUE, Number.MIN_VALUE * 2 ** 60, 2 ** -1022, 1e-90, 1e-12, 0.001, 0.5, 1, 1 + 2 ** -52, 2 - 2 ** -52, 2, 3, 1e4, 1e30, Number.MAX_VALUE, Infinity];
    for (let i = 0; i < 20_000; i++) xs.push(Math.exp((rng.next() - 0.5) * 400));
    for (const x of xs) {
      const want = Math.exp(b * Math.log(x));
      const got = powPositive(x, b);
      const err = got === want ? 0 : Math.abs(got - want) / want;
      if (err > worst) worst = err;
      assert.ok(err <= 1e-11, `powPositive(${x}, ${b}) = ${got}, Math.exp(b * Math.log(x)) = ${want}`);
    }
  }
  assert.ok(worst > 0, 'a different computation (else this test checks nothing)');
});
