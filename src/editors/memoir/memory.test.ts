// ResidualMemory bookkeeping: deltas are the exact change, deletion subtracts them, unused columns are 0.
import { describe, expect, it } from 'vitest';
import { uniformArray } from '../../lib/random';
import { deltaValues, roundToF16, type Delta } from './delta';
import { ResidualMemory, sumOfDeltas } from './memory';

const C = 3;
const H = 8;

/** Two SGD steps on cols, settled as trainer.ts does: the change rounded to f16 (or kept f32) and placed. */
function train(mem: ResidualMemory, slot: number, cols: Int32Array, seed: number, f16 = true, lr = 1): Delta {
  const before = mem.gather(cols);
  mem.sgdStep(cols, uniformArray(C * cols.length, seed), lr, 1e-5);
  mem.sgdStep(cols, uniformArray(C * cols.length, seed + 1), lr, 1e-5);
  const exact = mem.gather(cols).map((w, i) => w - before[i]);
  const delta: Delta = f16 ? roundToF16(exact)! : { dtype: 'f32', values: exact };
  mem.place(cols, before, delta);
  mem.restore(slot, { cols, delta });
  return delta;
}

const bits = (a: Float32Array) => new Uint32Array(a.slice().buffer);

describe('ResidualMemory', () => {
  it('touches only the masked columns and bumps the revision', () => {
    const mem = new ResidualMemory(C, H);
    const cols = Int32Array.from([1, 4]);
    const r0 = mem.revision;
    train(mem, 0, cols, 1);
    expect(mem.revision).toBeGreaterThan(r0);
    for (let c = 0; c < C; c++) {
      for (let h = 0; h < H; h++) if (h !== 1 && h !== 4) expect(mem.wm[c * H + h]).toBe(0);
    }
    expect(mem.hook(2, cols)).toMatchObject({ layer: 2, cols, revision: mem.revision });
  });

  it('deletes edits exactly: emptied memory is all zeros, shared columns keep the others', () => {
    const mem = new ResidualMemory(C, H);
    const a = Int32Array.from([0, 1, 2]);
    const b = Int32Array.from([2, 3]);
    const c = Int32Array.from([5, 6]);
    train(mem, 0, a, 10);
    const afterA = mem.wm.slice();
    train(mem, 1, b, 20);
    train(mem, 2, c, 30);
    mem.remove(2);
    mem.remove(1);
    // Column 2 is shared with a: a's values come back up to rounding; columns 3, 5, 6 are exactly 0 again.
    for (let i = 0; i < afterA.length; i++) expect(mem.wm[i]).toBeCloseTo(afterA[i], 6);
    for (let r = 0; r < C; r++) for (const h of [3, 5, 6]) expect(mem.wm[r * H + h]).toBe(0);
    mem.remove(0);
    expect(mem.wm.every((x) => x === 0)).toBe(true);
    expect(() => mem.remove(0)).toThrow(/no edit in slot 0/);
  });

  it('adds exactly what it stores, f16 or f32: Wm is the sum of the deltas, and a delete undoes its add bit for bit', () => {
    const mem = new ResidualMemory(C, H);
    const a = train(mem, 0, Int32Array.from([0, 1, 2]), 10, true, 0.25);
    const afterA = mem.wm.slice();
    const b = train(mem, 1, Int32Array.from([3, 4]), 20, false, 0.25);
    const c = train(mem, 2, Int32Array.from([2, 5]), 30, true, 0.25);
    expect([a.dtype, b.dtype, c.dtype]).toEqual(['f16', 'f32', 'f16']);
    // Each edit added its stored values to the Wm before it: the sum in slot order, bit for bit.
    const edits = [a, b, c].map((delta, slot) => ({ cols: mem.delta(slot)!.cols, delta }));
    expect(bits(mem.wm)).toEqual(bits(sumOfDeltas(C, H, edits)));
    // f16 values are multiples of 2^-24, so f32 sums of them stay exact while below 1 in magnitude (24
    // significant bits): column 2's a + c minus c gives a's values back, bit for bit.
    expect(deltaValues(c).every((x) => Number.isInteger(x * 2 ** 24))).toBe(true);
    for (let r = 0; r < C; r++) expect(Math.abs(mem.wm[r * H + 2])).toBeLessThan(1);
    mem.remove(2);
    mem.remove(1);
    expect(bits(mem.wm)).toEqual(bits(afterA));
    mem.remove(0);
    expect(bits(mem.wm)).toEqual(bits(new Float32Array(C * H)));
  });

  it('restores a snapshot column block bit for bit', () => {
    const mem = new ResidualMemory(C, H);
    const cols = Int32Array.from([2, 7]);
    mem.scatter(cols, uniformArray(C * 2, 5));
    const before = mem.gather(cols);
    mem.sgdStep(cols, uniformArray(C * 2, 6), 1.0, 1e-5);
    mem.scatter(cols, before);
    expect(mem.gather(cols)).toEqual(before);
    expect(() => mem.scatter(cols, new Float32Array(5))).toThrow(/\(C, k\)=\(3, 2\)/);
  });
});
