// Number formats: half-float round trips and q8/q4 block quantization error bounds and layout.
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/helpers/expect-close';
import { randn } from '../../tests/helpers/random';
import {
  decodeBF16,
  decodeF16,
  decodeWeight,
  encodeF16,
  encodeWeight,
  encodeWeightRows,
  f16ToF32,
  f32ToF16,
  quantizeQ4,
  quantizeQ8,
} from './quantize';

describe('half floats', () => {
  it('decodes known bit patterns', () => {
    expect(f16ToF32(0x3c00)).toBe(1);
    expect(f16ToF32(0xc000)).toBe(-2);
    expect(f16ToF32(0x7bff)).toBe(65504);
    expect(f16ToF32(0x0001)).toBe(2 ** -24);
    expect(f16ToF32(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(f16ToF32(0x7e00))).toBe(true);
  });

  it('encodes with round-to-nearest-even and round-trips within half precision', () => {
    expect(f32ToF16(1)).toBe(0x3c00);
    expect(f32ToF16(65520)).toBe(0x7c00); // rounds up past the largest half
    expect(f32ToF16(2 ** -25)).toBe(0); // halfway to the smallest subnormal: ties to even (0)
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1+2^-10: even mantissa wins
    const x = randn(1000, 1, 3);
    expectClose(decodeF16(encodeF16(x)), x, { atol: 1e-6, rtol: 2 ** -11, label: 'f16 round trip' });
  });

  it('decodes bf16 as the top half of an f32', () => {
    expectClose(decodeBF16(Uint16Array.from([0x3f80, 0xc040, 0x0000])), Float32Array.from([1, -3, 0]), {
      label: 'bf16',
    });
  });
});

describe('block quantization', () => {
  const [OC, C] = [4, 64];
  const w = randn(OC * C, 2);

  /** Per block the error is at most half a step: max|w| / qmax / 2. */
  function checkBound(decoded: Float32Array, qmax: number): void {
    for (let b = 0; b < (OC * C) / 32; b++) {
      const block = w.subarray(b * 32, b * 32 + 32);
      const step = Math.max(...Array.from(block, Math.abs)) / qmax;
      for (let i = 0; i < 32; i++) {
        expect(Math.abs(decoded[b * 32 + i] - block[i])).toBeLessThanOrEqual(step / 2 + 1e-6);
      }
    }
  }

  it('q8 round trip stays within half a step per block', () => {
    checkBound(decodeWeight(encodeWeight(w, OC, C, 'q8'), OC, C), 127);
  });

  it('q4 round trip stays within half a step per block', () => {
    checkBound(decodeWeight(encodeWeight(w, OC, C, 'q4'), OC, C), 7);
  });

  it('q4 packs element 2i in the low nibble, 2i+1 in the high nibble, two’s complement', () => {
    const x = new Float32Array(32);
    x[0] = 7; // q = 7, scale 1
    x[1] = -7; // q = -7 → 0b1001
    x[2] = -1; // q = -1 → 0b1111
    const { packed, scales } = quantizeQ4(x, 1, 32);
    expect(scales[0]).toBe(1);
    expect(packed[0]).toBe(0x97);
    expect(packed[1]).toBe(0x0f);
  });

  // 2100 rows of 512: 1,075,200 values, so 2 chunks (2048 rows, then 52) of 1 Mi values.
  it.each(['f32', 'f16', 'q8', 'q4'] as const)(
    'encodeWeightRows (%s) in chunks of rows equals encodeWeight of the whole',
    (precision) => {
      const [OC, C] = [2100, 512];
      const w = randn(OC * C, 11);
      const calls: number[][] = [];
      const rows = (r0: number, r1: number) => (calls.push([r0, r1]), w.slice(r0 * C, r1 * C));
      expect(encodeWeightRows(rows, OC, C, precision)).toEqual(encodeWeight(w, OC, C, precision));
      expect(calls).toEqual(
        precision === 'f32'
          ? [[0, OC]]
          : [
              [0, 2048],
              [2048, OC],
            ],
      );
    },
  );

  it('an all-zero block gets scale 0; widths off the block size are refused', () => {
    const { values, scales } = quantizeQ8(new Float32Array(32), 1, 32);
    expect(scales[0]).toBe(0);
    expect(values.every((v) => v === 0)).toBe(true);
    expect(() => quantizeQ8(new Float32Array(48), 1, 48)).toThrow(
      /cannot be split into blocks of 32[\s\S]*HINT/,
    );
  });
});
