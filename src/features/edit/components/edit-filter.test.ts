import { describe, expect, it } from 'vitest';
import { filterEdits, matchSummary } from './edit-filter';

const edit = (id: string, prompt: string, target: string) => ({ id, prompt, target });
const edits = [
  edit('a', 'The capital of France is', ' Rome'),
  edit('b', 'The Eiffel Tower is in', ' Paris'),
  edit('c', 'Water boils at', ' 50 degrees'),
];

describe('filterEdits', () => {
  it('keeps every edit, in order, for an empty or blank query', () => {
    expect(filterEdits(edits, '').map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(filterEdits(edits, '   ').map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('matches the prompt or the answer, case-insensitively, the query trimmed', () => {
    expect(filterEdits(edits, 'FRANCE').map((e) => e.id)).toEqual(['a']);
    expect(filterEdits(edits, ' paris ').map((e) => e.id)).toEqual(['b']);
    expect(filterEdits(edits, 'the').map((e) => e.id)).toEqual(['a', 'b']);
    expect(filterEdits(edits, 'Berlin')).toEqual([]);
  });

  it('does not match across the prompt and the answer', () => {
    expect(filterEdits(edits, 'is Rome')).toEqual([]);
  });
});

describe('matchSummary', () => {
  it('counts with thousands separators and says how many match a query', () => {
    expect(matchSummary(1000, 1000, '')).toBe('1,000 edits');
    expect(matchSummary(10000, 12, 'paris')).toBe('10,000 edits, 12 match');
    expect(matchSummary(1, 1, 'x')).toBe('1 edit, 1 matches');
    expect(matchSummary(2, 0, 'x')).toBe('2 edits, 0 match');
  });
});
