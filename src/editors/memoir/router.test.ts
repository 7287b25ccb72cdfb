// Router against brute-force overlaps on random masks: best edit, τ gate, ties, removal, validation.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random';
import { MaskRouter } from './router';

function randomMask(H: number, k: number, next: () => number): Int32Array {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(Math.floor(next() * H));
  return Int32Array.from(chosen).sort();
}

function overlap(a: Int32Array, b: Int32Array): number {
  const s = new Set(a);
  return b.filter((c) => s.has(c)).length;
}

describe('MaskRouter', () => {
  it('finds the best overlap like brute force, before and after removals', () => {
    const H = 128;
    const k = 24;
    const next = mulberry32(11);
    const router = new MaskRouter(H, k);
    const masks = Array.from({ length: 60 }, () => randomMask(H, k, next));
    masks.forEach((m) => router.add(m));
    for (const slot of [5, 17, 59]) router.remove(slot);
    const live = masks.map((m, i) => [i, m] as const).filter(([i]) => ![5, 17, 59].includes(i));
    for (let q = 0; q < 20; q++) {
      const query = randomMask(H, k, next);
      const best = Math.max(...live.map(([, m]) => overlap(query, m)));
      const got = router.best(query)!;
      expect(got.overlap).toBe(best / k);
      expect(overlap(query, router.mask(got.slot))).toBe(best);
      expect(router.overlaps(query).get(got.slot)).toBe(best / k);
    }
    expect(router.size).toBe(57);
    expect(router.nextSlot).toBe(60);
  });

  it('gates by tau and prefers the most recent edit on ties', () => {
    const router = new MaskRouter(10, 4);
    const a = Int32Array.from([0, 1, 2, 3]);
    router.add(a);
    router.add(a.slice());
    expect(router.route(a, 1.0)).toEqual({ slot: 1, overlap: 1 });
    expect(router.route(Int32Array.from([0, 5, 6, 7]), 0.3)).toBeNull();
    expect(router.route(Int32Array.from([0, 1, 6, 7]), 0.5)).toEqual({ slot: 1, overlap: 0.5 });
    router.remove(1);
    router.remove(0);
    expect(router.best(a)).toBeNull();
  });

  it('rejects malformed masks and slots with readable messages', () => {
    const router = new MaskRouter(10, 3);
    expect(() => router.add(Int32Array.from([0, 1]))).toThrow(/mask must be \(k\)=\(3\), got \(2\)/);
    expect(() => router.add(Int32Array.from([2, 1, 3]))).toThrow(/sorted distinct/);
    expect(() => router.add(Int32Array.from([1, 2, 10]))).toThrow(/\[0, 10\)/);
    router.add(Int32Array.from([1, 2, 3]), 4);
    expect(() => router.add(Int32Array.from([1, 2, 3]), 4)).toThrow(/slot 4 is taken/);
    expect(router.nextSlot).toBe(5);
    expect(() => new MaskRouter(10, 11)).toThrow(/k must be/);
  });
});

describe('MaskRouter kernels', () => {
  it('SIMD and plain-JS overlap counts agree with brute force, across growth and removal', () => {
    const H = 300; // not a multiple of 128: rows carry padding
    const k = 40;
    const next = mulberry32(5);
    const simd = new MaskRouter(H, k);
    const plain = new MaskRouter(H, k, { simd: false });
    expect(simd.simd).toBe(true); // Node validates the WebAssembly SIMD kernel
    expect(plain.simd).toBe(false);
    const masks = Array.from({ length: 150 }, () => randomMask(H, k, next)); // > 64: forces growth
    for (const m of masks) {
      simd.add(m);
      plain.add(m);
    }
    for (const s of [0, 70, 149]) {
      simd.remove(s);
      plain.remove(s);
    }
    for (let i = 0; i < 10; i++) {
      const q = randomMask(H, k, next);
      const brute = Math.max(...masks.filter((_, s) => ![0, 70, 149].includes(s)).map((m) => overlap(q, m)));
      expect(simd.best(q)).toEqual(plain.best(q));
      expect(simd.best(q)!.overlap).toBe(brute / k);
    }
  });
});
