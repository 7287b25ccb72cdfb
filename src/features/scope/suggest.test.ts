import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecords, type BenchRecord } from '../../eval/records';
import { suggestProbes, withSuggestion } from './suggest';

const file = 'public/benchmarks/facts-edits.json';
const bundled = parseRecords(JSON.parse(readFileSync(file, 'utf8')), file);

const record = (
  over: Partial<BenchRecord> & Pick<BenchRecord, 'id' | 'subject' | 'prompt'>,
): BenchRecord => ({
  relation: 'capital',
  target_true: ' x',
  target_new: ' y',
  rephrases: [],
  locality: [],
  ...over,
});

describe('suggestProbes', () => {
  it('suggests the relation’s other phrasings, related facts and text for a bundled fact', () => {
    const s = suggestProbes(bundled, 'The capital of France is')!;
    expect(s.relation).toBe('capital');
    expect(s.subject).toBe('France');
    expect(s.prompts.reach.length).toBeGreaterThan(2);
    for (const p of s.prompts.reach) {
      expect(p).toContain('France');
      expect(p).not.toBe('The capital of France is');
    }
    // France's own other facts first, then other countries' capitals.
    expect(s.prompts.related).toContain('The continent of France is');
    expect(s.prompts.related.some((p) => /capital/.test(p) && !p.includes('France'))).toBe(true);
    expect(s.prompts.related.length).toBeLessThanOrEqual(6);
    expect(s.prompts.unrelated).toHaveLength(3);
  });

  it('finds the subject however the phrasing frames it', () => {
    const s = suggestProbes(bundled, '  The element Gold is written with the symbol ')!;
    expect(s).toMatchObject({ relation: 'symbol', subject: 'Gold' });
  });

  it('returns null for a prompt that is none of the benchmark’s phrasings', () => {
    expect(suggestProbes(bundled, 'My favourite colour is')).toBeNull();
    expect(suggestProbes(bundled, '')).toBeNull();
  });

  it('takes the longest phrasing that frames the prompt', () => {
    const records = [
      record({
        id: 'a',
        subject: 'Texas',
        relation: 'state_capital',
        prompt: 'The state Texas has its capital in',
      }),
      record({
        id: 'b',
        subject: 'Peru',
        prompt: 'Peru has its capital in',
        rephrases: ['Peru is governed from'],
      }),
    ];
    expect(suggestProbes(records, 'The state Ohio has its capital in')).toMatchObject({
      relation: 'state_capital',
      subject: 'Ohio',
    });
    const peru = suggestProbes(records, 'Chile has its capital in')!;
    expect(peru).toMatchObject({ relation: 'capital', subject: 'Chile' });
    expect(peru.prompts.reach).toEqual(['Chile is governed from']);
    expect(peru.prompts.related).toEqual(['Peru has its capital in']);
  });
});

describe('withSuggestion', () => {
  it('adds the suggested prompts under the typed ones, each line once', () => {
    const suggestion = {
      relation: 'capital',
      subject: 'France',
      prompts: { reach: ['A', 'B'], related: ['C'], unrelated: [] },
    };
    const typed = { reach: ' B \n\nmine', related: '', unrelated: 'text' };
    expect(withSuggestion(typed, suggestion)).toEqual({
      reach: 'B\nmine\nA',
      related: 'C',
      unrelated: 'text',
    });
  });
});
