// Seeded test data: the product's PRNG (src/lib/random) and uniform/normal/int array makers,
// so CPU and WebGPU tests draw identical inputs. Not for sampling in the product (see generate.ts).

import { mulberry32 } from '../../src/lib/random';

export { mulberry32 as rng, uniformArray as uniform } from '../../src/lib/random';

/** n values ~ N(0, scale²) by Box-Muller. */
export function randn(n: number, seed: number, scale = 1): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => {
    const u = 1 - r();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r()) * scale;
  });
}

/** n integers uniform in [0, max). */
export function randint(n: number, max: number, seed: number): Int32Array {
  const r = mulberry32(seed);
  return Int32Array.from({ length: n }, () => Math.floor(r() * max));
}
