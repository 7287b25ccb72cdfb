import { describe, expect, it } from 'vitest';
import type { ScopeProbe } from '../../worker/protocol';
import { meetsExpectation, promptLines } from './groups';

const probe = (base: string, edited: string): ScopeProbe => ({
  prompt: 'p',
  overlap: 0.5,
  routing: { tau: 0.5, best: null, applied: false },
  base,
  edited,
});

describe('scope probe groups', () => {
  it('reads one prompt per non-empty line', () => {
    expect(promptLines(' a \n\n b\n  \n')).toEqual(['a', 'b']);
    expect(promptLines('')).toEqual([]);
  });

  it('judges a probe by what its group expects', () => {
    expect(meetsExpectation(probe(' Paris.', ' Rome.'), 'new-answer', ' Rome')).toBe(true);
    expect(meetsExpectation(probe(' Paris.', ' Paris.'), 'new-answer', ' Rome')).toBe(false);
    expect(meetsExpectation(probe(' Tokyo.', ' Tokyo.'), 'unchanged', ' Rome')).toBe(true);
    expect(meetsExpectation(probe(' Tokyo.', ' Tokyo city'), 'unchanged', ' Rome')).toBe(false);
  });
});
