import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('drops the oldest insertion beyond its capacity; a re-set key counts as new', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([3, undefined, 4]);
    expect(cache.size).toBe(2);
  });

  it('computes a missing value once', async () => {
    const cache = new BoundedCache<string, number>(4);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.getOrCompute('x', compute)).toBe(1);
    expect(await cache.getOrCompute('x', compute)).toBe(1);
    expect(calls).toBe(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow(/positive integer, got 0/);
  });
});
