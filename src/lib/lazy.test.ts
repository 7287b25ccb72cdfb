import { describe, expect, it } from 'vitest';
import { lazy } from './lazy';

describe('lazy', () => {
  it('loads once for every caller, and again after a failed load', async () => {
    let calls = 0;
    const get = lazy(async () => {
      calls++;
      if (calls === 1) throw new Error('first load fails');
      return calls;
    });
    await expect(get()).rejects.toThrow('first load fails');
    expect(await Promise.all([get(), get()])).toEqual([2, 2]);
    expect(await get()).toBe(2);
    expect(calls).toBe(2);
  });
});
