// editTextProblem at the bound: 500 characters pass, 501 and blank text are refused with the count.
import { describe, expect, it } from 'vitest';
import { editTextProblem, MAX_EDIT_TEXT } from './edit-text';

describe('editTextProblem', () => {
  it('accepts text up to the bound and refuses longer or blank text', () => {
    expect(editTextProblem('prompt', 'a'.repeat(MAX_EDIT_TEXT))).toBeNull();
    expect(editTextProblem('prompt', 'a'.repeat(MAX_EDIT_TEXT + 1))).toBe(
      "The prompt is 501 characters long; an edit's may be at most 500.",
    );
    expect(editTextProblem('new answer', '  ')).toBe('The new answer is empty.');
  });
});
