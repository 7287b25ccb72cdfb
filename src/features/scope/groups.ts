// The three kinds of probe a person sets against an edit, and what each expects of an editor.
// Pure data + verdict logic, kept apart from React so it is unit-tested.
export type Expectation = 'new-answer' | 'unchanged';

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
    expect: 'new-answer',
  },
  {
    id: 'related',
    title: 'Must keep their answer',
    hint: 'related facts: the same subject with another relation, the same relation with another subject',
    expect: 'unchanged',
  },
  { id: 'unrelated', title: 'Unrelated text', hint: 'anything else', expect: 'unchanged' },
];

/** Non-empty trimmed lines: one probe prompt per line. */
export function promptLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Did an editor do what this group expects? The new answer must appear in its completion; an
 *  unchanged probe must complete exactly as the base model does. */
export function meetsExpectation(answer: string, base: string, expect: Expectation, target: string): boolean {
  return expect === 'new-answer' ? answer.includes(target.trim()) : answer === base;
}
