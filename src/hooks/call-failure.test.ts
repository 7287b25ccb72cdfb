import { describe, expect, it } from 'vitest';
import { callFailure, outcomeOf } from './call-failure';

describe('call failures', () => {
  it('tells a cancel from a failure', () => {
    expect(callFailure({ code: 'CANCELLED', message: 'x' })).toEqual({ state: 'cancelled' });
    expect(callFailure({ message: 'boom' })).toEqual({ state: 'failed', code: 'INTERNAL', message: 'boom' });
  });

  it('keeps a call’s result or failure as data, and rethrows a cancel', async () => {
    expect(await outcomeOf(Promise.resolve(7))).toEqual({ state: 'done', result: 7 });
    expect(await outcomeOf(Promise.reject({ code: 'LOAD', message: 'no scope model' }))).toEqual({
      state: 'failed',
      code: 'LOAD',
      message: 'no scope model',
    });
    const cancel = { code: 'CANCELLED', message: 'worker: seracScope was cancelled' };
    await expect(outcomeOf(Promise.reject(cancel))).rejects.toBe(cancel);
  });
});
