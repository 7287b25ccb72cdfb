// A scope run's probes labelled at another gate value (MEMOIR's τ, SERAC's threshold) without asking the
// model again: the scores are known, and an editor's best match does not depend on its gate, only whether
// that match fires (score >= gate, as both routers decide). Pure, so the Scope view's sliders relabel
// every probe on each input. Not the routing itself: that stays in src/editors.
import type { ScopeProbe, SeracScopeProbe } from '../../worker/protocol';
import { meetsExpectation, type Expectation } from '../../eval/expectation';

/** What a run knows about one probe for one editor (MEMOIR's or SERAC's fields, named alike). */
export interface RunProbe {
  /** The best-matching stored edit and its score (overlap or scope score); null with no stored edits. */
  best: { id: string; score: number } | null;
  /** Whether the best match fired at the run's gate. */
  applied: boolean;
  /** The editor's answer at the run's gate. */
  answer: string;
  /** The base model's answer (what an editor whose gate does not fire answers). */
  base: string;
}

/** Where the prompt goes at the what-if gate: the edit under study, another stored edit, or nowhere. */
export type Routed = 'this' | 'other' | 'none';

export interface ProbeLabel {
  routed: Routed;
  /** The editor's answer at the what-if gate; null when it fires there but did not in the run, so the
   *  answer it would give was never computed (probe again at that gate to see it). */
  answer: string | null;
  /** Whether that answer is what the probe's group expects; null when the answer is not known. */
  ok: boolean | null;
}

/** The probe at `gate`: unchanged routing keeps the run's answer; a match that stops firing answers as
 *  the base model does; one that starts firing has no known answer. */
export function relabel(
  probe: RunProbe,
  gate: number,
  editId: string,
  expect: Expectation,
  target: string,
): ProbeLabel {
  const fires = probe.best !== null && probe.best.score >= gate;
  const routed: Routed = !fires ? 'none' : probe.best!.id === editId ? 'this' : 'other';
  const answer = fires === probe.applied ? probe.answer : fires ? null : probe.base;
  return {
    routed,
    answer,
    ok: answer === null ? null : meetsExpectation(answer, probe.base, expect, target),
  };
}

/** How many labels are as expected and how many are not known, for a group's summary line. */
export function tally(labels: readonly ProbeLabel[]): { ok: number; unknown: number } {
  return {
    ok: labels.filter((l) => l.ok === true).length,
    unknown: labels.filter((l) => l.ok === null).length,
  };
}

/** MEMOIR's probe as relabel reads it: the best edit's mask overlap is its score. */
export function memoirRunProbe(p: ScopeProbe): RunProbe {
  const best = p.routing.best && { id: p.routing.best.id, score: p.routing.best.overlap };
  return { best, applied: p.routing.applied, answer: p.edited, base: p.base };
}

/** SERAC's probe as relabel reads it; `base` is the base model's answer from MEMOIR's probe of the same
 *  prompt (SERAC answers with the base model when its gate does not fire). */
export function seracRunProbe(s: SeracScopeProbe, base: string): RunProbe {
  const best = s.routing.best && { id: s.routing.best.id, score: s.routing.best.score };
  return { best, applied: s.routing.applied, answer: s.answer, base };
}
