import { describe, expect, it } from 'vitest';
import { promptLines } from './groups';

describe('scope probe groups', () => {
  it('reads one prompt per non-empty line', () => {
    expect(promptLines(' a \n\n b\n  \n')).toEqual(['a', 'b']);
    expect(promptLines('')).toEqual([]);
  });
});
