// The counterfactual's forms without a model: the separator a card names, and the in-context text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardSeparator, counterfactualInput, inContextInput } from './counterfactual';

const card = (name: string) => JSON.parse(readFileSync(`public/models/${name}/editscope.json`, 'utf8'));

describe('counterfactual forms', () => {
  it("reads the separator from a counterfactual's card only", () => {
    expect(cardSeparator(card('editscope-facts-counterfactual'))).toBe('<sep>');
    expect(
      cardSeparator({
        role: 'serac-counterfactual',
        prompt_format: '{edit_prompt} {edit_answer}[SEP]{query}',
      }),
    ).toBe('[SEP]');
    // The scope model's card has an input_format, not a counterfactual's prompt_format.
    expect(cardSeparator(card('editscope-scope'))).toBeNull();
    expect(cardSeparator(null)).toBeNull();
    expect(cardSeparator({ role: 'serac-counterfactual', prompt_format: '{edit_answer}{query}' })).toBeNull();
  });

  it('states the edit as one sentence before the query, on a line of its own', () => {
    expect(inContextInput('The capital of France is Rome', 'Paris is in')).toBe(
      'New fact: The capital of France is Rome.\nParis is in',
    );
    expect(inContextInput('Who wrote Hamlet? Marlowe.', 'Hamlet was written by')).toBe(
      'New fact: Who wrote Hamlet? Marlowe.\nHamlet was written by',
    );
    expect(counterfactualInput({ kind: 'trained', separator: '<sep>' }, 'A B', 'C')).toBe('A B<sep>C');
  });
});
