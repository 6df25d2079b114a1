/**
 * The one seeded PRNG: mulberry32, a tiny, fast 32-bit generator (period 2^32), plenty for
 * sampling, layout initialisation and test data; not for cryptography. Same seed, same sequence,
 * on every platform. (The UMAP layout kernel, src/reduce/fast/layoutKernel.ts, inlines the same
 * step on its own state for speed.)
 */
export class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds (0, 1, 2, ...) start far apart.
    this.state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller; one of the pair is discarded to keep no hidden state). */
  nextGaussian(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** The same generator as a `() => number` in [0, 1), for code that takes a random function (umap-js, sampling). */
export function mulberry32(seed: number): () => number {
  const r = new Mulberry32(seed);
  return () => r.next();
}
