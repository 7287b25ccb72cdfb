// ropeInvFreq against the closed form and transformers' f32 rounding steps.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/helpers/expect-close';
import { ropeInvFreq } from './rope-freq';

describe('ropeInvFreq', () => {
  it('is theta^(-2i/HS) for each pair, HS/2 values', () => {
    expect(Array.from(ropeInvFreq(4, 10000))).toEqual([1, Math.fround(0.01)]);
    const HS = 128;
    const got = ropeInvFreq(HS, 500000);
    expect(got.length).toBe(HS / 2);
    const want = Float64Array.from({ length: HS / 2 }, (_, i) => 500000 ** ((-2 * i) / HS));
    expectClose(got, want, { atol: 0, rtol: 2e-7, label: 'invFreq' });
  });

  it('rounds the exponent to f32 first, as torch.arange(...).float() / dim does', () => {
    // HS = 6: 2/6 is not an f32; torch raises theta to fround(1/3), not to 1/3.
    const theta = 1e6;
    expect(ropeInvFreq(6, theta)[1]).toBe(Math.fround(1 / Math.fround(theta ** Math.fround(1 / 3))));
  });
});
