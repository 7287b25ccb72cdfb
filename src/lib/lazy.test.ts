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

  it("loads with the first caller's arguments and shows the load without starting one", async () => {
    const seen: string[] = [];
    const get = lazy(async (who: string) => {
      seen.push(who);
      return who.toUpperCase();
    });
    expect(get.current).toBeNull();
    expect(await Promise.all([get('first'), get('second')])).toEqual(['FIRST', 'FIRST']);
    expect(seen).toEqual(['first']);
    expect(await get.current).toBe('FIRST');
  });

  it('forgets a failed load in current', async () => {
    const get = lazy(async () => {
      throw new Error('refused');
    });
    const failing = get();
    expect(get.current).toBe(failing);
    await expect(failing).rejects.toThrow('refused');
    expect(get.current).toBeNull();
  });
});
