import { describe, expect, it } from 'vitest';
import { meetsExpectation, promptLines } from './groups';

describe('scope probe groups', () => {
  it('reads one prompt per non-empty line', () => {
    expect(promptLines(' a \n\n b\n  \n')).toEqual(['a', 'b']);
    expect(promptLines('')).toEqual([]);
  });

  it('judges a probe by what its group expects', () => {
    expect(meetsExpectation(' Rome.', ' Paris.', 'new-answer', ' Rome')).toBe(true);
    expect(meetsExpectation(' Paris.', ' Paris.', 'new-answer', ' Rome')).toBe(false);
    expect(meetsExpectation(' Tokyo.', ' Tokyo.', 'unchanged', ' Rome')).toBe(true);
    expect(meetsExpectation(' Tokyo city', ' Tokyo.', 'unchanged', ' Rome')).toBe(false);
  });
});
