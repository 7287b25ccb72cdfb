// TopHash on synthetic activations and on the toy model: permutation, pooling, top-k, the two variants.
import { describe, expect, it } from 'vitest';
import {
  computeBackgroundStats,
  makePermutation,
  pool,
  topHashMask,
  topKAbs,
  type BackgroundStats,
} from './tophash';
import { ToyModel } from './toy-model';

function stats(H: number, mean: number[], std: number[]): BackgroundStats {
  const s = { mean: Float32Array.from(mean), std: Float32Array.from(std) };
  return { modelId: 'm', layer: 0, H, prompts: 2, byPooling: { mean: s, last: s } };
}

describe('tophash', () => {
  it('makes a seeded bijection', () => {
    const p = makePermutation(1000, 3);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(makePermutation(1000, 3)).toEqual(p);
    expect(makePermutation(1000, 4)).not.toEqual(p);
  });

  it('pools the mean over tokens or the last token', () => {
    const a = Float32Array.from([1, 2, 3, 5, 6, 7]); // (T=2, H=3)
    expect([...pool(a, 2, 3, 'mean')]).toEqual([3, 4, 5]);
    expect([...pool(a, 2, 3, 'last')]).toEqual([5, 6, 7]);
    expect(() => pool(a, 3, 3, 'mean')).toThrow(/\(T, H\)=\(3, 3\)/);
  });

  it('ranks by |x| with ties to the lower index', () => {
    expect([...topKAbs(Float32Array.from([0.1, -3, 2, -2, 0]), 3)]).toEqual([1, 2, 3]);
  });

  it('decentres, optionally standardises, and maps through the permutation', () => {
    const H = 4;
    const a = Float32Array.from([10, 1, 3, 2]); // T = 1
    const bg = stats(H, [9, 0, 0, 0], [1, 1, 10, 0.5]);
    const identity = Int32Array.from([0, 1, 2, 3]);
    // center: x = [1, 1, 3, 2] → top-2 = {2, 3}
    expect([...topHashMask(a, 1, bg, { k: 2, pooling: 'mean', normalize: 'center' }, identity)]).toEqual([
      2, 3,
    ]);
    // zscore: x = [1, 1, 0.3, 4] → top-2 = {3, 0}
    expect([...topHashMask(a, 1, bg, { k: 2, pooling: 'mean', normalize: 'zscore' }, identity)]).toEqual([
      0, 3,
    ]);
    const perm = Int32Array.from([3, 2, 1, 0]);
    expect([...topHashMask(a, 1, bg, { k: 2, pooling: 'mean', normalize: 'center' }, perm)]).toEqual([0, 1]);
  });

  it('computes background statistics per pooling from a model', async () => {
    const model = new ToyModel({ H: 16 });
    const prompts = ['the cat sat', 'a dog ran far away', 'birds fly south in winter'];
    const bg = await computeBackgroundStats(model, 0, prompts);
    expect(bg.prompts).toBe(3);
    const lasts = await Promise.all(
      prompts.map(async (p) => {
        const ids = model.encode(p);
        return pool(await model.downProjInput(ids), ids.length, 16, 'last');
      }),
    );
    const mean0 = (lasts[0][0] + lasts[1][0] + lasts[2][0]) / 3;
    expect(bg.byPooling.last.mean[0]).toBeCloseTo(mean0, 6);
    expect(bg.byPooling.mean.std.every((s) => s >= 0)).toBe(true);
    await expect(computeBackgroundStats(model, 0, ['one'])).rejects.toThrow(/at least 2 prompts/);
  });
});
