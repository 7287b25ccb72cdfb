import { describe, expect, it } from 'vitest';
import { meetsExpectation } from './expectation';

describe('probe expectations', () => {
  it('judges a probe by what it expects', () => {
    expect(meetsExpectation(' Rome.', ' Paris.', 'new', ' Rome')).toBe(true);
    expect(meetsExpectation(' Paris.', ' Paris.', 'new', ' Rome')).toBe(false);
    expect(meetsExpectation(' Tokyo.', ' Tokyo.', 'old', ' Rome')).toBe(true);
    expect(meetsExpectation(' Tokyo city', ' Tokyo.', 'old', ' Rome')).toBe(false);
  });
});
