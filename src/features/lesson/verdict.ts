// What each of a lesson's probes shows once its edits are in: per editor, the probe's score for the
// lesson's edit, its answer and whether that answer is what the lesson expects (✓/✗), grouped as the
// Scope view groups probes. Pure data, kept apart from React so it is unit-tested.
import { meetsExpectation } from '../../eval/expectation';
import type { LessonGroup, LessonProbe } from '../../share/lesson';
import type { ScopeProbe, SeracScopeProbe } from '../../worker/protocol';

export interface EditorVerdict {
  /** Mask overlap (MEMOIR) or scope score (SERAC) for the lesson's edit, in [0, 1]. */
  score: number;
  answer: string;
  ok: boolean;
}

export interface ProbeVerdict {
  probe: LessonProbe;
  base: string;
  memoir: EditorVerdict;
  /** Null where SERAC could not run. */
  serac: EditorVerdict | null;
}

export const GROUP_TITLES: Record<LessonGroup, string> = {
  reach: 'Paraphrases',
  related: 'Related facts',
  unrelated: 'Unrelated text',
};

/** The probes' verdicts in the lesson's order, grouped by the order of GROUP_TITLES (empty groups left out). */
export function lessonVerdicts(
  probes: readonly LessonProbe[],
  target: string,
  memoir: readonly ScopeProbe[],
  serac: readonly SeracScopeProbe[] | null,
): { group: LessonGroup; verdicts: ProbeVerdict[] }[] {
  const verdicts = probes.map((probe, i): ProbeVerdict => {
    const { base, edited, overlap } = memoir[i];
    const s = serac?.[i];
    return {
      probe,
      base,
      memoir: { score: overlap, answer: edited, ok: meetsExpectation(edited, base, probe.expect, target) },
      serac: s
        ? { score: s.score, answer: s.answer, ok: meetsExpectation(s.answer, base, probe.expect, target) }
        : null,
    };
  });
  return (Object.keys(GROUP_TITLES) as LessonGroup[])
    .map((group) => ({ group, verdicts: verdicts.filter((v) => v.probe.group === group) }))
    .filter(({ verdicts }) => verdicts.length > 0);
}
