// tabs.ts: Web Locks are used by name where the runtime has them; without them, work under one name
// runs one at a time in call order, a failure not stopping the next, and other names do not wait.
import { describe, expect, it } from 'vitest';
import { inProcessLocks, memoirLockName, tabLocks } from './tabs';

describe('tabLocks', () => {
  it('asks navigator.locks for the named lock and gives back what the work resolves to', async () => {
    const asked: string[] = [];
    const locks = {
      request: (name: string, work: () => Promise<unknown>) => {
        asked.push(name);
        return work();
      },
    } as unknown as LockManager;
    const serialise = tabLocks(locks);
    expect(await serialise(memoirLockName('toy'), async () => 42)).toBe(42);
    expect(asked).toEqual(['editscope:memoir:toy']);
  });
});

describe('inProcessLocks', () => {
  it('runs work under one name one at a time, in call order, past a failure; other names run at once', async () => {
    const serialise = inProcessLocks();
    const log: string[] = [];
    const step =
      (label: string, ms: number, fail = false) =>
      async () => {
        log.push(`${label} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push(`${label} end`);
        if (fail) throw new Error(label);
        return label;
      };
    const runs = [
      serialise('m', step('a', 20, true)),
      serialise('m', step('b', 5)),
      serialise('other', step('c', 1)),
    ];
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log).toEqual(['a start', 'c start', 'c end', 'a end', 'b start', 'b end']);
  });
});
