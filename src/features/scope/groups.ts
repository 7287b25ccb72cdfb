// The three kinds of probe a person sets against an edit, and what each expects of an editor.
// Pure data, kept apart from React so it is unit-tested; the verdict rule is src/eval/expectation.ts.
import type { Expectation } from '../../eval/expectation';

export interface ProbeGroup {
  readonly id: 'reach' | 'related' | 'unrelated';
  readonly title: string;
  readonly hint: string;
  readonly expect: Expectation;
}

export const PROBE_GROUPS: readonly ProbeGroup[] = [
  {
    id: 'reach',
    title: 'Should take the new answer',
    hint: 'paraphrases of the edit prompt',
    expect: 'new',
  },
  {
    id: 'related',
    title: 'Must keep their answer',
    hint: 'related facts: the same subject with another relation, the same relation with another subject',
    expect: 'old',
  },
  { id: 'unrelated', title: 'Unrelated text', hint: 'anything else', expect: 'old' },
];

/** Non-empty trimmed lines: one probe prompt per line. */
export function promptLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
