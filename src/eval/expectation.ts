// What a probe expects of an editor once an edit is in, and the one rule that judges it: shared by the
// Scope view, lessons and their links (whose `expect` field holds these values).
// Not routing: whether the memory fired or the scope classifier took the edit is the editors' business.

/** Take the edit's new answer, or keep the base model's own. */
export type Expectation = 'new' | 'old';

/** Did an editor do what the probe expects? The new answer must appear in its completion; an `old`
 *  probe must complete exactly as the base model does. */
export function meetsExpectation(answer: string, base: string, expect: Expectation, target: string): boolean {
  return expect === 'new' ? answer.includes(target.trim()) : answer === base;
}
