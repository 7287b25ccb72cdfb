import { describe, expect, it } from 'vitest';
import { histogram, operatingPoint, quantiles } from './diagnostics';

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

  it('finds the loosest gate that opens for at most the allowed share of negatives', () => {
    const negatives = [0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9];
    const positives = [
      { best: 0.95, bestIsOwn: true },
      { best: 0.85, bestIsOwn: true },
      { best: 0.85, bestIsOwn: false }, // routed past the gate, but to another edit: not counted
      { best: 0.75, bestIsOwn: true },
    ];
    // 20% of 10 negatives may open: the gate shuts at the 3rd highest (0.7), so 0.8 and 0.9 open.
    expect(operatingPoint(positives, negatives, 0.2)).toEqual({
      above: 0.7,
      open: 0.2,
      positivesRoutedOwn: 0.75,
    });
    // Nothing may open: only scores above every negative pass.
    expect(operatingPoint(positives, negatives, 0)).toEqual({
      above: 0.9,
      open: 0,
      positivesRoutedOwn: 0.25,
    });
    // A tie at the gate shuts with it rather than overshooting the allowed share.
    expect(operatingPoint(positives, negatives, 0.5).open).toBe(0.4);
  });

  it('refuses empty inputs and a share outside [0, 1)', () => {
    expect(() => operatingPoint([], [0.1], 0.01)).toThrow(RangeError);
    expect(() => operatingPoint([{ best: 1, bestIsOwn: true }], [0.1], 1)).toThrow(RangeError);
  });
});
