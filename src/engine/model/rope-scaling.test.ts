// RoPE scaling against transformers' formulas worked by hand: llama3 (Llama 3.2's rope_scaling) keeps
// the high frequencies, divides the low ones by factor and blends the band between; linear divides all.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../../tests/helpers/expect-close';
import { scaledInvFreq } from './rope-scaling';

// Llama 3.2: head_dim 64, theta 500000, factor 32, low 1, high 4, original context 8192.
const HS = 64;
const theta = 500000;
const base = Float32Array.from({ length: HS / 2 }, (_, i) => theta ** (-(2 * i) / HS));
const llama3 = {
  type: 'llama3',
  theta,
  factor: 32,
  lowFreqFactor: 1,
  highFreqFactor: 4,
  originalMaxPositions: 8192,
} as const;

describe('scaledInvFreq', () => {
  it('llama3: wavelengths under 8192/4 kept, over 8192/1 divided by 32, the band between blended', () => {
    const got = scaledInvFreq(llama3, base);
    // wavelen = 2π / inv; inv_i = 500000^(-i/32): i ≤ 14 has wavelen < 2048, i ≥ 18 has wavelen > 8192.
    const want = Array.from(base, (inv) => {
      const wavelen = (2 * Math.PI) / inv;
      if (wavelen < 2048) return inv;
      if (wavelen > 8192) return inv / 32;
      const s = (8192 / wavelen - 1) / (4 - 1);
      return ((1 - s) * inv) / 32 + s * inv;
    });
    expectClose(got, want, { atol: 0, rtol: 1e-6, label: 'llama3 inv_freq' });
    expect(got[0]).toBe(1);
    expect(got[14]).toBe(base[14]);
    expect(got[18]).toBeCloseTo(base[18] / 32, 12);
    // i = 16: inv = 1/√500000, wavelen = 2π√500000 ≈ 4442.88, s = (8192/4442.88 - 1)/3 ≈ 0.28128,
    // so inv · ((1 - s)/32 + s) ≈ 1.41421e-3 · 0.30374 ≈ 4.2955e-4
    expect(got[16]).toBeCloseTo(4.2955e-4, 7);
  });

  it('linear divides every frequency by factor; default returns the input', () => {
    expectClose(
      scaledInvFreq({ type: 'linear', theta, factor: 8 }, base),
      Array.from(base, (x) => x / 8),
      { atol: 0, rtol: 1e-7, label: 'linear' },
    );
    expect(scaledInvFreq({ type: 'default', theta }, base)).toBe(base);
  });
});
