import { describe, expect, it } from 'vitest';
import { chooseOperatingPoint, type RoutingPoint } from './operating-point';

const pt = (tau: number, paraphraseOwn: number, unrelatedOpen: number): RoutingPoint => ({
  tau,
  paraphraseOwn,
  unrelatedOpen,
});

describe('chooseOperatingPoint', () => {
  it('takes the most paraphraseOwn among the points that keep unrelated prompts out', () => {
    const curve = [pt(0.3, 0.95, 0.2), pt(0.4, 0.9, 0.02), pt(0.5, 0.8, 0.01), pt(0.6, 0.6, 0)];
    expect(chooseOperatingPoint(curve, 0.01)).toEqual(pt(0.5, 0.8, 0.01));
    expect(chooseOperatingPoint(curve, 0.05)).toEqual(pt(0.4, 0.9, 0.02));
  });

  it('breaks ties to the smaller gate, whatever the order of the curve', () => {
    const curve = [pt(0.7, 0.5, 0), pt(0.6, 0.5, 0), pt(0.65, 0.5, 0)];
    expect(chooseOperatingPoint(curve, 0.01)?.tau).toBe(0.6);
  });

  it('returns null when every point opens for too many unrelated prompts', () => {
    expect(chooseOperatingPoint([pt(0.5, 0.9, 0.3), pt(0.9, 0.1, 0.02)], 0.01)).toBeNull();
    expect(chooseOperatingPoint([], 0.01)).toBeNull();
  });
});
