/** Small deterministic data for the cluster unit tests. */
import { createMatrix, type Matrix } from '../../src/core/types.js';

import { mulberry32 } from '../../src/core/random.js';

export const seededRandom = mulberry32;

/** n points uniform in [0, scale)^dim; with `grid`, rounded to integers (many ties and duplicates). */
export function randomMatrix(n: number, dim: number, seed: number, scale = 10, grid = false): Matrix {
  const rand = seededRandom(seed);
  const data = new Float32Array(n * dim);
  for (let i = 0; i < data.length; i++) data[i] = grid ? Math.floor(rand() * scale) : rand() * scale;
  return createMatrix(n, dim, data);
}

/** k well separated gaussian blobs of `per` points each in 2-d, plus `noise` uniform points. */
export function blobs(k: number, per: number, noise: number, seed: number): { x: Matrix; truth: Int32Array } {
  const rand = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const n = k * per + noise;
  const data = new Float32Array(n * 2);
  const truth = new Int32Array(n).fill(-1);
  for (let c = 0; c < k; c++) {
    const cx = c * 20;
    const cy = (c % 2) * 20;
    for (let j = 0; j < per; j++) {
      const i = c * per + j;
      data[2 * i] = cx + gauss();
      data[2 * i + 1] = cy + gauss();
      truth[i] = c;
    }
  }
  for (let i = k * per; i < n; i++) {
    data[2 * i] = rand() * 20 * k - 10;
    data[2 * i + 1] = rand() * 60 - 20;
  }
  return { x: createMatrix(n, 2, data), truth };
}
