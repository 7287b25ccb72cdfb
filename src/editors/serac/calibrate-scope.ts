// SERAC's scope threshold calibrated for a scope model on the calibration set (issue #19, DESIGN §10), by
// the same 1% rule as MEMOIR's τ (eval/operating-point.ts): every fact of the set is a stored edit (its
// edit prompt with a counterfactual answer); each paraphrase should route to its own fact at or above the
// threshold, and each unrelated prompt (eval/calibration-set.ts unrelatedTo: the same relation about
// other subjects, other relations of the same subject, general text) should score below it for every
// edit it is unrelated to, as MEMOIR's calibration counts them. Works with any ScopeScorer (the embedding
// model or the bundled cross-encoder). Not storage (store/serac.ts) and not the routing (router.ts).

import { EngineError, throwIfAborted } from '../../engine/errors';
import { counterfactualAnswer, unrelatedTo, type CalibrationSet } from '../../eval/calibration-set';
import {
  chooseOperatingPoint,
  isRoutingPoint,
  MAX_UNRELATED_OPEN,
  type RoutingPoint,
} from '../../eval/operating-point';
import { isThreshold } from './editor';
import { top1 } from './router';
import { editText, type ScopeScorer } from './scope';

export interface SeracCalibration {
  readonly version: 1;
  /** describeSource of the base model the threshold is for. */
  readonly modelId: string;
  /** The scope model's id (EmbeddingScope.id, or describeSource of a cross-encoder). */
  readonly scopeModel: string;
  readonly calibrationSet: string; // CalibrationSet.id
  readonly createdAt: number;
  /** Routing against the threshold over THRESHOLD_GRID. */
  readonly curve: readonly RoutingPoint[];
  readonly threshold: number;
  readonly paraphraseOwnAtThreshold: number;
  /** Why this threshold, in words, with the numbers. */
  readonly reason: string;
}

export interface ScopeCalibrationProgress {
  /** Prompts scored against every edit so far, of `total`. */
  readonly done: number;
  readonly total: number;
}

export interface CalibrateScopeOptions {
  readonly modelId: string;
  readonly scopeModel: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ScopeCalibrationProgress) => void;
}

/** Thresholds from 0 to 1 in steps of .005: fine enough for a cross-encoder whose in-scope scores crowd
 *  near 1 (the bundled one's card says .94), and every value is exact to three decimals. */
export const THRESHOLD_GRID: readonly number[] = Array.from(
  { length: 201 },
  (_, i) => +(i * 0.005).toFixed(3),
);

/** The measurement: the stored edits, each paraphrase with its fact, each unrelated prompt with the
 *  facts whose edit it must not open (a prompt unrelated to many facts counts once). */
interface Problem {
  readonly edits: string[];
  readonly paraphrases: { prompt: string; fact: number }[];
  readonly unrelated: Map<string, number[]>;
}

function problemOf(set: CalibrationSet): Problem {
  // A counterfactual answer, as a user's edit has: the true one would put the answer's own word in the
  // edit text, which no real edit shares with its paraphrases.
  const edits = set.facts.map((f) => editText(f.prompt, counterfactualAnswer(set, f) ?? f.answer));
  const paraphrases = set.facts.flatMap((f, fact) => f.paraphrases.map((prompt) => ({ prompt, fact })));
  const unrelated = new Map<string, number[]>();
  set.facts.forEach((f, fact) => {
    const u = unrelatedTo(set, f);
    for (const p of new Set([...u.sameRelation, ...u.sameSubject, ...u.text])) {
      unrelated.set(p, [...(unrelated.get(p) ?? []), fact]);
    }
  });
  return { edits, paraphrases, unrelated };
}

/** The routing curve from each paraphrase's score when its top-1 edit is its own (−1 when it routes
 *  elsewhere) and each unrelated prompt's highest score among the edits it must not open. */
export function scopeCurve(
  own: readonly number[],
  open: readonly number[],
  grid: readonly number[] = THRESHOLD_GRID,
): RoutingPoint[] {
  return grid.map((tau) => ({
    tau,
    paraphraseOwn: own.filter((s) => s >= tau).length / own.length,
    unrelatedOpen: open.filter((s) => s >= tau).length / open.length,
  }));
}

/** Scores every prompt of the set against every fact's edit with `scope` (progress per prompt, cancel
 *  between prompts) and picks the threshold by the 1% rule. Stores nothing. */
export async function calibrateScope(
  scope: ScopeScorer,
  set: CalibrationSet,
  opts: CalibrateScopeOptions,
): Promise<SeracCalibration> {
  const { edits, paraphrases, unrelated } = problemOf(set);
  if (paraphrases.length === 0 || unrelated.size === 0) {
    throw new EngineError(
      'SHAPE',
      `serac calibration: set ${set.id} gives ${paraphrases.length} paraphrases and ${unrelated.size} unrelated prompts; both are needed`,
    );
  }
  const prompts = [...new Set([...paraphrases.map((p) => p.prompt), ...unrelated.keys()])];
  const scored = new Map<string, Float32Array>();
  for (const prompt of prompts) {
    throwIfAborted(opts.signal, 'serac calibration');
    scored.set(prompt, await scope.scores(edits, prompt));
    opts.onProgress?.({ done: scored.size, total: prompts.length });
  }
  const own = paraphrases.map(({ prompt, fact }) => {
    const best = top1(scored.get(prompt)!)!;
    return best.index === fact ? best.score : -1;
  });
  const open = [...unrelated].map(([prompt, facts]) => Math.max(...facts.map((f) => scored.get(prompt)![f])));
  const curve = scopeCurve(own, open);
  const point = chooseOperatingPoint(curve, MAX_UNRELATED_OPEN);
  // Deviation: SERAC fixes 0.5 and has no such case; a scope model that opens an edit for more than 1% of
  // unrelated prompts at every threshold of the grid gets the strictest one, and the reason says so.
  const chosen = point ?? curve[curve.length - 1];
  return {
    version: 1,
    modelId: opts.modelId,
    scopeModel: opts.scopeModel,
    calibrationSet: set.id,
    createdAt: Date.now(),
    curve,
    threshold: chosen.tau,
    paraphraseOwnAtThreshold: chosen.paraphraseOwn,
    reason: reasonFor(chosen, point !== null, own.length, open.length),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function reasonFor(p: RoutingPoint, met: boolean, paraphrases: number, unrelated: number): string {
  const measured =
    `at threshold ${p.tau} ${pct(p.paraphraseOwn)} of ${paraphrases} paraphrases route to their own fact ` +
    `and ${pct(p.unrelatedOpen)} of ${unrelated} unrelated prompts open an edit they are unrelated to`;
  const why = met
    ? `The threshold that routes the most paraphrases while at most ${pct(MAX_UNRELATED_OPEN)} of unrelated prompts open an edit: ${measured}.`
    : `No threshold keeps unrelated prompts at ${pct(MAX_UNRELATED_OPEN)}; the strictest one is used: ${measured}.`;
  const poor =
    p.paraphraseOwn === 0
      ? ' This scope model does not tell these paraphrases from unrelated prompts: SERAC with it will rarely use an edit.'
      : '';
  return why + poor;
}

/** Whether a stored value is a SeracCalibration (validated field by field, as every stored record is). */
export function isSeracCalibration(x: unknown): x is SeracCalibration {
  const c = x as Partial<Record<keyof SeracCalibration, unknown>> | null;
  const fraction = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.version === 1 &&
    typeof c.modelId === 'string' &&
    typeof c.scopeModel === 'string' &&
    typeof c.calibrationSet === 'string' &&
    typeof c.createdAt === 'number' &&
    Number.isFinite(c.createdAt) &&
    Array.isArray(c.curve) &&
    c.curve.length > 0 &&
    c.curve.every(isRoutingPoint) &&
    isThreshold(c.threshold) &&
    fraction(c.paraphraseOwnAtThreshold) &&
    typeof c.reason === 'string'
  );
}
