import { describe, expect, it } from 'vitest';
import { histogram, quantiles } from './diagnostics';

describe('overlap statistics', () => {
  it('bins overlaps over [0, 1] with 1 in the last bin', () => {
    expect(histogram([0, 0.04, 0.05, 0.5, 0.99, 1], 20)).toEqual([
      2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    ]);
    expect(histogram([0.2, 0.7], 4)).toEqual([1, 0, 1, 0]);
  });

  it('refuses an overlap outside [0, 1] instead of dropping it', () => {
    expect(() => histogram([1.5])).toThrow(/outside/);
    expect(() => histogram([NaN])).toThrow(/outside/);
  });

  it('takes quantiles by rank', () => {
    const q = quantiles([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    expect(q).toEqual({ n: 10, min: 1, p10: 2, p50: 6, p90: 10, max: 10 });
  });
});
