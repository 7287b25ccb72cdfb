// The stored form of a MEMOIR delta: f16 rounding against known bit patterns, exact widening of every
// finite half, the out-of-range refusal, and the bytes each dtype takes.
import { describe, expect, it } from 'vitest';
import { f16ToF32 } from '../../engine/quantize';
import { deltaBytes, deltaStorage, deltaValues, isHalfNonFinite, roundToF16, type Delta } from './delta';

const bitsOf = (d: Delta | null) => (d?.dtype === 'f16' ? [...d.bits] : d);

describe('MEMOIR deltas', () => {
  it('round to the nearest half, ties to even', () => {
    const values = Float32Array.of(1, -2, 0.1, 65504, 65519, 2 ** -24, 2 ** -25, 1 + 2 ** -11, -0);
    expect(bitsOf(roundToF16(values))).toEqual([
      0x3c00, 0xc000, 0x2e66, 0x7bff, 0x7bff, 0x0001, 0x0000, 0x3c00, 0x8000,
    ]);
  });

  it('keep f32 when a value is outside the half range (it would round to Inf)', () => {
    expect(roundToF16(Float32Array.of(0.5, 65520))).toBeNull();
    expect(roundToF16(Float32Array.of(-1e6))).toBeNull();
  });

  it('widen every finite half exactly, and only the exponent-31 patterns are Inf or NaN', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i);
    const wide = deltaValues({ dtype: 'f16', bits: all });
    const nonFinite = [...all].filter(isHalfNonFinite);
    expect(nonFinite).toHaveLength(2 * 1024);
    const wrong = [...all].filter((h) =>
      isHalfNonFinite(h) ? Number.isFinite(wide[h]) : !Object.is(wide[h], f16ToF32(h)),
    );
    expect(wrong).toEqual([]);
    // Widening then rounding gives the same bits back.
    const finite = all.filter((h) => !isHalfNonFinite(h));
    expect(bitsOf(roundToF16(deltaValues({ dtype: 'f16', bits: finite })))).toEqual([...finite]);
  });

  it('take 2 bytes a value in f16 and 4 in f32; an f32 delta is read in place', () => {
    const values = new Float32Array(6);
    const f32: Delta = { dtype: 'f32', values };
    const f16 = roundToF16(values)!;
    expect(deltaValues(f32)).toBe(values);
    // Widened into a caller's buffer of the right length (a loop over many edits allocates nothing).
    const into = Float32Array.of(9, 9, 9, 9, 9, 9);
    expect(deltaValues(roundToF16(Float32Array.of(1, 2, 3, 4, 5, 0.5))!, into)).toBe(into);
    expect([...into]).toEqual([1, 2, 3, 4, 5, 0.5]);
    expect([deltaBytes(f16), deltaBytes(f32)]).toEqual([12, 24]);
    expect(deltaStorage([f16, f32, f16])).toEqual({ f16: 2, f32: 1, bytes: 48 });
  });
});
